// Register-book exports: a table as CSV or as an Excel workbook.
//
// Clerks download register books (sổ đăng ký văn bản đi / đến) and reports to
// open in Excel or LibreOffice and to archive. A cell is text, a whole number
// or a civil date; numbers and dates are real numbers and dates in the
// workbook (dd/mm/yyyy), and text is always text: nothing from the database
// is ever interpreted as a formula.
//
// Pure functions apart from ToXlsx's temporary file; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/world.h"

namespace chancery::exporting {

// Text (UTF-8, NFC), a whole number, or a civil date.
using Cell = std::variant<std::string, std::int64_t, Date>;

struct Table {
  std::string title;                    // sheet name, document title
  std::vector<std::string> headers;     // first row, bold in XLSX
  std::vector<std::vector<Cell>> rows;  // rows may be ragged
};

// A cell as a person reads it: numbers in decimal, dates as dd/mm/yyyy.
std::string CellText(const Cell& cell);

// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote,
// CR or LF, quotes doubled. Starts with a UTF-8 byte-order mark, because Excel
// otherwise reads a CSV in the machine's ANSI code page and garbles the
// Vietnamese letters. The title is not written.
// Cells that a spreadsheet would run as a formula (starting with = + - @ TAB
// or CR, unless the whole cell is a plain number such as "-5" or "+84...") get
// a leading apostrophe, the usual CSV-injection guard. Numbers and dates are
// written as CellText shows them.
std::string ToCsv(const Table& table);

// The bytes of an .xlsx workbook with one sheet: bold, frozen, filterable
// header row; column widths from the longest cell (within limits); cells
// with line breaks wrap. The sheet is named after the title, cut to Excel's
// 31 characters with []:*?/\ removed ("Sheet1" if nothing is left). Cells over
// Excel's 32,767 characters are cut. libxlsxwriter writes to a file, so a
// temporary file is made in `temp_dir` (mkstemp) and removed before returning.
// Failure: kPayloadTooLarge over Excel's 1,048,576 rows or 16,384 columns;
// kUnavailable when the temporary file cannot be written or read.
Result<std::string> ToXlsx(const Table& table, const std::string& temp_dir);

}  // namespace chancery::exporting
