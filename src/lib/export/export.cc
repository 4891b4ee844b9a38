#include "lib/export/export.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <type_traits>

namespace chancery::exporting {
namespace {

// UTF-8 byte-order mark: tells Excel the CSV is UTF-8 (see export.h).
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Excel's limits.
constexpr std::size_t kMaxSheetNameChars = LXW_SHEETNAME_MAX;  // 31
constexpr std::size_t kMaxCellChars = 32767;
constexpr double kMinColumnWidth = 8;
constexpr double kMaxColumnWidth = 60;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Code points in valid UTF-8; close enough to Excel's character count.
std::size_t CharCount(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !IsContinuationByte(c); }));
}

// The first `max_chars` code points of `s`, never cutting a character in two.
std::string_view TruncateChars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsContinuationByte(s[i])) continue;
    if (chars == max_chars) return s.substr(0, i);
    ++chars;
  }
  return s;
}

// "-5", "+84912345678", "3.5", "1,000": numbers a spreadsheet shows as such.
bool IsPlainNumber(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == ','; });
}

bool LooksLikeFormula(std::string_view s) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '+':
    case '-':
      return !IsPlainNumber(s);
    default:
      return false;
  }
}

void AppendCsvField(std::string_view field, std::string* out) {
  const bool guard = LooksLikeFormula(field);
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out->push_back('"');
  if (guard) out->push_back('\'');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  if (quote) out->push_back('"');
}

template <typename Field>
void AppendCsvRecord(const std::vector<Field>& fields, std::string* out) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    if constexpr (std::is_same_v<Field, Cell>) {
      if (const auto* text = std::get_if<std::string>(&fields[i])) {
        AppendCsvField(*text, out);
      } else {
        out->append(CellText(fields[i]));  // digits, or dd/mm/yyyy: nothing to quote
      }
    } else {
      AppendCsvField(fields[i], out);
    }
  }
  out->append("\r\n");
}

std::string SheetName(std::string_view title) {
  std::string name;
  for (char c : title) {
    if (static_cast<unsigned char>(c) < 0x20) continue;  // control characters
    if (std::strchr("[]:*?/\\", c) != nullptr) continue;
    name.push_back(c);
  }
  name = std::string(TruncateChars(name, kMaxSheetNameChars));
  // Excel also refuses names that begin or end with an apostrophe.
  const std::size_t first = name.find_first_not_of('\'');
  if (first == std::string::npos) return "Sheet1";
  name = name.substr(first, name.find_last_not_of('\'') - first + 1);
  if (name.find_first_not_of(' ') == std::string::npos) return "Sheet1";
  return name;
}

// Width of a column holding these texts, in Excel's character units.
double ColumnWidth(std::size_t longest_line_chars) {
  return std::clamp(static_cast<double>(longest_line_chars) + 2, kMinColumnWidth, kMaxColumnWidth);
}

std::size_t LongestLine(std::string_view s) {
  std::size_t longest = 0;
  while (true) {
    const std::size_t nl = s.find('\n');
    longest = std::max(longest, CharCount(s.substr(0, nl)));
    if (nl == std::string_view::npos) return longest;
    s.remove_prefix(nl + 1);
  }
}

// Removes the temporary file on every path out of ToXlsx.
class FileRemover {
 public:
  explicit FileRemover(std::string path) : path_(std::move(path)) {}
  ~FileRemover() { ::unlink(path_.c_str()); }
  FileRemover(const FileRemover&) = delete;
  FileRemover& operator=(const FileRemover&) = delete;

 private:
  std::string path_;
};

Error XlsxError(std::string_view what, lxw_error err) {
  return MakeError(ErrorCode::kInternal, std::string("Cannot build the workbook (") +
                                             std::string(what) + "): " + lxw_strerror(err));
}

// Fills the workbook; the caller closes it.
Status WriteSheet(lxw_workbook* wb, const Table& table, std::size_t columns) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(table.title).c_str());
  if (ws == nullptr) return MakeError(ErrorCode::kInternal, "Cannot add a worksheet.");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_align(bold, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* top = workbook_add_format(wb);
  format_set_align(top, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* wrap = workbook_add_format(wb);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  format_set_align(date, LXW_ALIGN_VERTICAL_TOP);

  std::vector<std::size_t> longest(columns, 0);
  const auto write_text = [&](lxw_row_t row, std::size_t col, std::string_view cell,
                              lxw_format* format) -> lxw_error {
    const std::string text(TruncateChars(cell, kMaxCellChars));
    longest[col] = std::max(longest[col], LongestLine(text));
    lxw_format* f = format != nullptr ? format : text.find('\n') != std::string::npos ? wrap : top;
    // Always a string cell: text from the database is never a formula.
    return worksheet_write_string(ws, row, static_cast<lxw_col_t>(col), text.c_str(), f);
  };
  const auto write_cell = [&](lxw_row_t row, std::size_t col, const Cell& cell) -> lxw_error {
    const auto c = static_cast<lxw_col_t>(col);
    if (const auto* text = std::get_if<std::string>(&cell))
      return write_text(row, col, *text, nullptr);
    longest[col] = std::max(longest[col], CellText(cell).size());
    if (const auto* n = std::get_if<std::int64_t>(&cell)) {
      return worksheet_write_number(ws, row, c, static_cast<double>(*n), top);
    }
    const std::chrono::year_month_day ymd{std::get<Date>(cell)};
    lxw_datetime when{static_cast<int>(ymd.year()),
                      static_cast<int>(unsigned(ymd.month())),
                      static_cast<int>(unsigned(ymd.day())),
                      0,
                      0,
                      0};
    return worksheet_write_datetime(ws, row, c, &when, date);
  };

  for (std::size_t col = 0; col < table.headers.size(); ++col) {
    const lxw_error err = write_text(0, col, table.headers[col], bold);
    if (err != LXW_NO_ERROR) return XlsxError("cell", err);
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    for (std::size_t col = 0; col < table.rows[r].size(); ++col) {
      const lxw_error err = write_cell(static_cast<lxw_row_t>(r + 1), col, table.rows[r][col]);
      if (err != LXW_NO_ERROR) return XlsxError("cell", err);
    }
  }
  for (std::size_t col = 0; col < columns; ++col) {
    const auto c = static_cast<lxw_col_t>(col);
    const lxw_error err = worksheet_set_column(ws, c, c, ColumnWidth(longest[col]), nullptr);
    if (err != LXW_NO_ERROR) return XlsxError("column width", err);
  }
  if (!table.headers.empty()) {
    worksheet_freeze_panes(ws, 1, 0);
    const lxw_error err = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                                               static_cast<lxw_col_t>(columns - 1));
    if (err != LXW_NO_ERROR) return XlsxError("filter", err);
  }
  return Ok();
}

}  // namespace

std::string CellText(const Cell& cell) {
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  if (const auto* n = std::get_if<std::int64_t>(&cell)) return std::to_string(*n);
  return FormatDayMonthYear(std::get<Date>(cell));
}

std::string ToCsv(const Table& table) {
  std::string out(kUtf8Bom);
  AppendCsvRecord(table.headers, &out);
  for (const std::vector<Cell>& row : table.rows) AppendCsvRecord(row, &out);
  return out;
}

Result<std::string> ToXlsx(const Table& table, const std::string& temp_dir) {
  std::size_t columns = table.headers.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  if (table.rows.size() + 1 > LXW_ROW_MAX || columns > LXW_COL_MAX) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "The table is larger than an Excel sheet (1,048,576 rows, 16,384 columns).");
  }

  std::string path = temp_dir + "/chancery-export-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "Cannot create a temporary file in " + temp_dir + ": " + std::strerror(errno));
  }
  ::close(fd);  // libxlsxwriter reopens the file by name
  FileRemover remover(path);

  std::string tmpdir = temp_dir;  // libxlsxwriter's own scratch files go here too
  lxw_workbook_options options{};
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) return MakeError(ErrorCode::kInternal, "Cannot start a workbook.");

  std::string title = table.title;
  lxw_doc_properties properties{};
  properties.title = title.data();
  workbook_set_properties(wb, &properties);

  Status written = WriteSheet(wb, table, columns);
  // workbook_close writes the file and frees the workbook, whatever happened.
  const lxw_error closed = workbook_close(wb);
  if (!written.ok()) return std::move(written).error();
  if (closed != LXW_NO_ERROR) {
    return MakeError(ErrorCode::kUnavailable,
                     std::string("Cannot write the workbook: ") + lxw_strerror(closed));
  }

  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (in) bytes << in.rdbuf();
  if (!in || !bytes) {
    return MakeError(ErrorCode::kUnavailable, "Cannot read back the workbook " + path + ".");
  }
  return std::move(bytes).str();
}

}  // namespace chancery::exporting
