// Services: lists of documents (boxes, deadlines, workload) and records (hồ sơ).
#include <algorithm>
#include <boost/json.hpp>

#include "core/document_flow.h"
#include "modules/documents/internal.h"
#include "modules/documents/service.h"
#include "modules/documents/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;
using namespace documents_detail;  // NOLINT: this module's own helpers

namespace {

// What box `box` holds for `actor`, within `reach` (the units they may see).
void NarrowToBox(documents::DocumentQuery& q, Box box, const Actor& actor) {
  switch (box) {
    case Box::kAll:
      break;
    case Box::kDrafts:
      q.direction = Direction::kOutgoing;
      q.states = {"draft"};
      break;
    case Box::kAwaitingApproval:
      q.direction = Direction::kOutgoing;
      q.states = {"in_review"};
      break;
    case Box::kAwaitingAssignment:
      q.direction = Direction::kIncoming;
      q.states = {"registered"};
      break;
    case Box::kInbox:
      // What this person must work on: open assignments they lead.
      q.unit_ids.clear();
      q.assigned_user_id = actor.id;
      q.states = {"assigned", "in_progress"};
      break;
    case Box::kOutgoing:
      q.direction = Direction::kOutgoing;
      break;
    case Box::kIncoming:
      q.direction = Direction::kIncoming;
      break;
    case Box::kReceived:
      q.direction = Direction::kIncoming;
      q.states = {"received"};
      break;
    case Box::kToIssue:
      q.direction = Direction::kOutgoing;
      q.states = {"signed", "numbered", "sealed"};
      break;
  }
}

}  // namespace

Result<DocumentPage> DocumentService::ListDocuments(const Actor& actor, const ListInput& in) {
  std::optional<Id> before;
  std::optional<std::pair<std::string, Id>> after_deadline;
  if (in.by_deadline) {
    CHY_TRY(after_deadline, DeadlineCursorArg(in.cursor));
  } else {
    CHY_TRY(before, IdCursor(in.cursor));
  }
  if (in.from && in.to && *in.to < *in.from) {
    return Error::Invalid("to", "before_from", "The end date is before the start date.");
  }
  const int limit = std::clamp(in.limit, 1, 200);
  std::vector<Document> docs;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    documents::DocumentQuery q;
    q.max_classification = actor.clearance;
    q.before_id = before;
    q.by_deadline = in.by_deadline;
    q.reply_to_id = in.reply_to_id;
    q.after_deadline = after_deadline;
    q.limit = limit + 1;
    q.text = in.text;
    q.states = in.states;
    q.entered_from = in.from;
    q.entered_to = in.to;
    q.type_code = in.type_code;
    q.urgency = in.urgency;
    if (in.unit_id) {
      CHY_TRY(bool reaches, org::Store(tx).IsWithin(*in.unit_id, actor.unit_id));
      if (!reaches) {
        return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
      }
      q.unit_ids = {*in.unit_id};
    } else if (in.box != Box::kInbox) {  // the inbox is by person, not by unit
      CHY_TRY(Scope scope, ScopeOf(tx, actor));
      q.unit_ids = std::move(scope.reach);
    }
    // A state filter narrows a box to the states in both (none in both: an empty page).
    const auto wanted = q.states;
    NarrowToBox(q, in.box, actor);
    if (!wanted.empty() && q.states != wanted) {
      std::vector<std::string> both;
      for (const auto& st : wanted) {
        if (std::find(q.states.begin(), q.states.end(), st) != q.states.end()) both.push_back(st);
      }
      if (both.empty()) return Ok();  // nothing is in both
      q.states = std::move(both);
    }
    CHY_TRY(docs, documents::Store(tx).ListDocuments(q));
    return Ok();
  }));
  DocumentPage page = MakePage(std::move(docs), limit);
  if (in.by_deadline && page.next_cursor) {
    const Document& last = page.items.back();
    page.next_cursor = "d" + (last.deadline ? FormatDate(*last.deadline) : kNoDeadline) + "." +
                       std::to_string(last.id);
  }
  return page;
}

Result<BoxCounts> DocumentService::CountBoxes(const Actor& actor) {
  BoxCounts counts;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Scope scope, ScopeOf(tx, actor));
    documents::Store docs(tx);
    for (auto [box, out] : {std::pair{Box::kInbox, &counts.inbox},
                            std::pair{Box::kAwaitingApproval, &counts.awaiting_approval},
                            std::pair{Box::kAwaitingAssignment, &counts.awaiting_assignment},
                            std::pair{Box::kReceived, &counts.received},
                            std::pair{Box::kToIssue, &counts.to_issue}}) {
      documents::DocumentQuery q;
      q.max_classification = actor.clearance;
      q.unit_ids = scope.reach;
      NarrowToBox(q, box, actor);
      CHY_TRY(*out, docs.CountDocuments(q));
    }
    return Ok();
  }));
  return counts;
}

Result<DocumentPage> DocumentService::DeadlineList(const Actor& actor, std::optional<Id> unit_id,
                                                   bool mine, std::optional<Date> before,
                                                   std::optional<Date> until,
                                                   std::optional<std::string> cursor, int limit) {
  CHY_TRY(auto after, IdCursor(cursor));
  limit = std::clamp(limit, 1, 200);
  std::vector<Document> docs;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    documents::DocumentQuery q;
    q.max_classification = actor.clearance;
    q.states = {"assigned", "in_progress"};
    q.deadline_before = before;
    q.deadline_until = until;
    q.before_id = after;
    q.limit = limit + 1;
    if (mine) {
      q.assigned_user_id = actor.id;
    } else {
      const Id unit = unit_id.value_or(actor.unit_id);
      CHY_TRY(bool reaches, org::Store(tx).IsWithin(unit, actor.unit_id));
      if (!reaches) {
        return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
      }
      q.unit_ids = {unit};
    }
    CHY_TRY(docs, documents::Store(tx).ListDocuments(q));
    return Ok();
  }));
  return MakePage(std::move(docs), limit);
}

Result<DocumentPage> DocumentService::Overdue(const Actor& actor, std::optional<Id> unit_id,
                                              bool mine, std::optional<std::string> cursor,
                                              int limit) {
  return DeadlineList(actor, unit_id, mine, Today(), std::nullopt, std::move(cursor), limit);
}

Result<DocumentPage> DocumentService::DueSoon(const Actor& actor, std::optional<Id> unit_id,
                                              bool mine, std::optional<std::string> cursor,
                                              int limit) {
  const Date today = Today();
  const Date until = calendar_.AddWorkingDays(today, settings_.due_soon_working_days);
  auto page = DeadlineList(actor, unit_id, mine, std::nullopt, until, std::move(cursor), limit);
  if (!page.ok()) return page;
  // Not yet overdue: deadline today or later.
  std::erase_if(page->items, [&](const Document& d) { return d.deadline && *d.deadline < today; });
  return page;
}

// ---------------------------------------------------------------- records

Result<documents::RecordFile> DocumentService::CreateRecord(const Actor& actor,
                                                            const documents::RecordFile& in) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleClerk | kRoleSpecialist | kRoleLeader));
  documents::RecordFile r = in;
  if (r.unit_id == 0) r.unit_id = actor.unit_id;
  if (r.year == 0) r.year = static_cast<int>(std::chrono::year_month_day{Today()}.year());
  CHY_TRY_STATUS(CheckText("code", r.code, 50, true));
  CHY_TRY_STATUS(CheckText("title", r.title, 500, true));
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(r.unit_id, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    }
    auto id = documents::Store(tx).InsertRecord(r, clock_.Now());
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kConflict) {
        return Error::Invalid("code", "taken", "A record with this code exists this year.");
      }
      return std::move(id).error();
    }
    r.id = *id;
    return Audit(tx, &actor, "record.create", "record", r.id,
                 json::serialize(json::object{{"code", r.code}, {"title", r.title}}));
  }));
  return r;
}

Result<std::vector<documents::RecordFile>> DocumentService::ListRecords(const Actor& actor,
                                                                        std::optional<Id> unit_id) {
  std::vector<documents::RecordFile> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    const Id unit = unit_id.value_or(actor.unit_id);
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(unit, actor.unit_id));
    if (!reaches) {
      return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    }
    CHY_TRY(out, documents::Store(tx).ListRecords(unit));
    return Ok();
  }));
  return out;
}

Result<Workload> DocumentService::WorkloadOf(const Actor& actor, std::optional<Id> unit_id) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleLeader | kRoleClerk | kRoleAdmin));
  Workload w;
  w.today = Today();
  w.due_soon_until = calendar_.AddWorkingDays(w.today, settings_.due_soon_working_days);
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    const Id top = unit_id.value_or(actor.unit_id);
    CHY_TRY(bool reaches, org::Store(tx).IsWithin(top, actor.unit_id));
    if (!reaches) return Error::Invalid("unit_id", "out_of_scope", "Not one of your units.");
    CHY_TRY(Unit top_unit, org::Store(tx).GetUnit(top));
    CHY_TRY(auto units, org::Store(tx).ListUnits());
    // Rows: the unit's own work, then one row per direct sub-unit that adds
    // up everything below it.
    std::vector<Id> all{top};
    std::map<Id, std::size_t> row_of{{top, 0}};
    w.units.push_back({top, top_unit.name});
    for (const Unit& child : units) {
      if (child.parent_id != std::optional<Id>(top) || !child.active) continue;
      CHY_TRY(auto below, org::Store(tx).UnitsBelow(child.id));
      w.units.push_back({child.id, child.name});
      for (Id id : below) {
        row_of[id] = w.units.size() - 1;
        all.push_back(id);
      }
    }
    CHY_TRY(auto counts,
            documents::Store(tx).CountOpenWork(all, w.today, w.due_soon_until, actor.clearance));
    for (const auto& c : counts) {
      UnitWorkload& row = w.units[row_of.at(c.unit_id)];
      row.open += c.open;
      row.overdue += c.overdue;
      row.due_soon += c.due_soon;
    }
    return Ok();
  }));
  return w;
}

}  // namespace chancery::services
