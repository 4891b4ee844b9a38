// Services: register books and their exports.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "lib/export/export.h"
#include "lib/merkle/merkle.h"
#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

std::string DateText(const std::optional<Date>& d) { return d ? FormatDate(*d) : ""; }

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
    CHY_TRY(out.entries, documents::Store(tx).ListDocuments(q));
    if (static_cast<int>(out.entries.size()) > limit) {
      out.entries.resize(limit);
      out.next_cursor = std::to_string(out.entries.back().id);
    }
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
  exporting::Table table;
  std::optional<std::string> cursor;
  bool first = true;
  while (first || cursor) {
    CHY_TRY(auto page, BookPage(actor, book_id, filter, cursor, 500));
    if (first) {
      const bool incoming = page.book.kind == "incoming";
      table.title =
          (incoming ? "So van ban den " : "So van ban di ") + std::to_string(page.book.year);
      if (incoming) {
        // Sổ đăng ký văn bản đến (Decree 30, appendix IV).
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
    }
    first = false;
    for (const auto& d : page.entries) {
      const DocumentType* type = FindDocumentType(d.type_code);
      const std::string type_subject = (type ? type->name_vi : "") + " " + d.subject;
      if (page.book.kind == "incoming") {
        table.rows.push_back(
            {DateText(d.arrival_date), d.arrival_number ? std::to_string(*d.arrival_number) : "",
             d.issuer_name, d.original_number_symbol, DateText(d.original_date), type_subject,
             std::to_string(d.unit_id), DateText(d.deadline), d.notes});
      } else {
        std::string recipients;
        for (Id r : d.recipient_unit_ids) {
          recipients += (recipients.empty() ? "" : ", ") + std::to_string(r);
        }
        table.rows.push_back({d.number_symbol, DateText(d.issued_date), type_subject, d.signer_name,
                              recipients, std::to_string(d.unit_id),
                              d.copies ? std::to_string(*d.copies) : "", d.notes});
      }
    }
    cursor = page.next_cursor;
  }
  if (format == "csv") return exporting::ToCsv(table);
  return exporting::ToXlsx(table, config_.temp_dir);
}

}  // namespace chancery::services
