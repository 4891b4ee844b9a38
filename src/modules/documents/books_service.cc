// Services: register books and their exports.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "lib/export/export.h"
#include "lib/merkle/merkle.h"
#include "lib/text/fold.h"
#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "modules/org/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

// A number or a date cell, or an empty one.
exporting::Cell NumberCell(std::optional<std::int64_t> n) {
  return n ? exporting::Cell{*n} : exporting::Cell{std::string()};
}
exporting::Cell DateCell(const std::optional<Date>& d) {
  return d ? exporting::Cell{*d} : exporting::Cell{std::string()};
}

// "Tên loại và trích yếu nội dung": the type's name, then the summary —
// once, when the summary already begins with it ("Quyết định về việc …").
std::string TypeAndSubject(const Document& d) {
  const DocumentType* type = FindDocumentType(d.type_code);
  // A công văn has no type name before its summary ("V/v …").
  if (!type || d.type_code.empty()) return d.subject;
  if (text::FoldVietnamese(d.subject).starts_with(text::FoldVietnamese(type->name_vi))) {
    return d.subject;
  }
  return type->name_vi + " " + d.subject;
}

// "Ghi chú": an entry withdrawn (recalled) says so first, with the reason;
// then the clerk's own remarks (a duplicate registered over a warning says
// why there).
std::string Remarks(const Document& d) {
  if (d.state != "recalled") return d.notes;
  std::string out = "Đã thu hồi";
  if (!d.return_reason.empty()) out += ": " + d.return_reason;
  if (!d.notes.empty()) out += "\n" + d.notes;
  return out;
}

// The register forms of Decree 30 (appendix IV): headers of a book.
exporting::Table BookTable(const documents::RegisterBook& book) {
  exporting::Table table;
  const bool incoming = book.kind == "incoming";
  table.title = (incoming ? "Sổ văn bản đến " : "Sổ văn bản đi ") + std::to_string(book.year);
  if (incoming) {
    table.headers = {"Ngày đến",
                     "Số đến",
                     "Tác giả",
                     "Số, ký hiệu",
                     "Ngày tháng",
                     "Tên loại và trích yếu nội dung",
                     "Đơn vị hoặc người nhận",
                     "Hạn giải quyết",
                     "Ghi chú"};
  } else {
    table.headers = {"Số, ký hiệu",  "Ngày tháng", "Tên loại và trích yếu nội dung",
                     "Người ký",     "Nơi nhận",   "Đơn vị, người nhận bản lưu",
                     "Số lượng bản", "Ghi chú"};
  }
  return table;
}

// One entry of a book in the form's columns: names, real numbers and dates.
std::vector<exporting::Cell> BookRow(const documents::RegisterBook& book, const Document& d,
                                     const std::map<Id, std::string>& units,
                                     const std::map<std::string, std::string>& agencies) {
  const auto unit_name = [&](Id id) {
    auto it = units.find(id);
    return it == units.end() ? std::string() : it->second;
  };
  if (book.kind == "incoming") {
    return {DateCell(d.arrival_date), NumberCell(d.arrival_number), d.issuer_name,
            d.original_number_symbol, DateCell(d.original_date),    TypeAndSubject(d),
            unit_name(d.unit_id),     DateCell(d.deadline),         Remarks(d)};
  }
  std::string recipients;
  const auto add = [&](const std::string& name) {
    if (!name.empty()) recipients += (recipients.empty() ? "" : "; ") + name;
  };
  for (Id r : d.recipient_unit_ids) add(unit_name(r));
  for (const auto& code : d.recipient_agency_codes) {
    auto it = agencies.find(code);
    add(it == agencies.end() ? code : it->second);
  }
  return {d.number_symbol,
          DateCell(d.issued_date),
          TypeAndSubject(d),
          d.signer_name,
          recipients,
          unit_name(d.unit_id),
          NumberCell(d.copies ? std::optional<std::int64_t>(*d.copies) : std::nullopt),
          Remarks(d)};
}

}  // namespace

// ---------------------------------------------------------------- register books

Result<std::vector<documents::RegisterBook>> DocumentService::ListBooks(const Actor& actor,
                                                                        std::optional<Id> unit_id) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleLeader));
  std::vector<documents::RegisterBook> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    const Id unit = unit_id.value_or(actor.unit_id);
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(unit, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    }
    // The books a unit holds are kept by its issuing unit.
    CHY_TRY(Id issuer, IssuingUnitOf(tx, unit));
    CHY_TRY(out, documents::Store(tx).ListBooks(issuer));
    if (issuer != unit) {
      CHY_TRY(auto own, documents::Store(tx).ListBooks(unit));
      out.insert(out.end(), own.begin(), own.end());
    }
    return Ok();
  }));
  return out;
}

Result<BookEntries> DocumentService::BookPage(const Actor& actor, Id book_id,
                                              const BookFilter& filter,
                                              std::optional<std::string> cursor, int limit) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleLeader));
  CHY_TRY(std::optional<Id> after, IdCursor(cursor));
  limit = std::clamp(limit, 1, 500);
  BookEntries out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    auto book = documents::Store(tx).GetBook(book_id);
    if (!book.ok())
      return MissingAs(book, MakeError(ErrorCode::kNotFound, "Register book not found."));
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(book->unit_id, actor.unit_id));
    if (!reaches) {
      return MakeError(ErrorCode::kNotFound, "Register book not found.");
    }
    out.book = *book;
    documents::DocumentQuery q;
    q.book_id = book_id;
    q.max_classification = actor.clearance;
    q.ascending = true;
    q.before_id = after;
    q.text = filter.text;
    q.entered_from = filter.from;
    q.entered_to = filter.to;
    q.limit = limit + 1;
    CHY_TRY(auto rows, documents::Store(tx).ListDocuments(q));
    Page<Document> page = PageOfRows(std::move(rows), limit);
    out.entries = std::move(page.items);
    out.next_cursor = std::move(page.next_cursor);
    CHY_TRY_STATUS(documents::Store(tx).FillRecipients(out.entries));
    std::vector<Id> ids;
    for (const auto& d : out.entries) ids.push_back(d.id);
    CHY_TRY(out.signature_verdicts, signatures::Store(tx).LatestSignatureVerdicts(ids));
    return Ok();
  }));
  return out;
}

Result<std::string> DocumentService::ExportBook(const Actor& actor, Id book_id,
                                                const std::string& format,
                                                const BookFilter& filter) {
  if (format != "csv" && format != "xlsx") {
    return Error::Invalid("format", "not_allowed_value", "Use csv or xlsx.");
  }
  // Names, never ids: the units of the tree and the agencies of the directory.
  std::map<Id, std::string> units;
  std::map<std::string, std::string> agencies;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto all, org::Store(tx).ListUnits());
    for (const auto& u : all) units[u.id] = u.name;
    if (hooks_) {
      CHY_TRY(agencies, hooks_->AgencyNames(tx));
    }
    return Ok();
  }));
  exporting::Table table;
  std::optional<std::string> cursor;
  bool first = true;
  while (first || cursor) {
    CHY_TRY(auto page, BookPage(actor, book_id, filter, cursor, 500));
    if (first) table = BookTable(page.book);
    first = false;
    for (const auto& d : page.entries) table.rows.push_back(BookRow(page.book, d, units, agencies));
    cursor = page.next_cursor;
  }
  if (format == "csv") return exporting::ToCsv(table);
  return exporting::ToXlsx(table, config_.temp_dir);
}

}  // namespace chancery::services
