#include "core/document_flow.h"

#include <algorithm>

namespace chancery {

const std::vector<Transition>& Transitions() {
  constexpr auto kOut = Direction::kOutgoing;
  constexpr auto kIn = Direction::kIncoming;
  constexpr std::uint32_t kDrafters = kRoleSpecialist | kRoleLeader | kRoleClerk;
  static const std::vector<Transition> kTable{
      {"submit", kOut, {"draft"}, "in_review", kDrafters},
      {"send_back", kOut, {"in_review", "approved"}, "draft", kRoleLeader},
      {"approve", kOut, {"in_review"}, "approved", kRoleLeader},
      {"sign", kOut, {"approved"}, "signed", kRoleLeader},
      {"number", kOut, {"signed"}, "numbered", kRoleClerk},
      {"seal", kOut, {"numbered"}, "sealed", kRoleClerk},
      {"issue", kOut, {"sealed"}, "issued", kRoleClerk},
      {"recall", kOut, {"issued"}, "recalled", kRoleClerk | kRoleLeader},
      {"file", kOut, {"issued", "recalled"}, "filed", kRoleClerk | kRoleSpecialist},
      {"archive", kOut, {"filed"}, "archived", kRoleClerk},
      {"register", kIn, {"received"}, "registered", kRoleClerk},
      {"return", kIn, {"received"}, "returned", kRoleClerk},
      {"assign", kIn, {"registered", "assigned", "in_progress"}, "assigned", kRoleLeader},
      {"note", kIn, {"assigned", "in_progress"}, "in_progress",
       kRoleSpecialist | kRoleLeader | kRoleClerk},
      {"complete", kIn, {"assigned", "in_progress"}, "completed",
       kRoleSpecialist | kRoleLeader},
      {"file", kIn, {"completed"}, "filed", kRoleClerk | kRoleSpecialist},
      {"archive", kIn, {"filed"}, "archived", kRoleClerk},
      {"withdraw", kIn, {"received", "registered", "assigned", "in_progress", "completed"},
       "recalled", kRoleClerk},
      // A copy from another agency whose sender asked to withdraw it (status
      // 13) waits frozen for the clerk: agree (15) or refuse (16), which
      // puts it back where it was (docs/exchange.md).
      {"agree_recall", kIn, {"recall_requested"}, "recalled", kRoleClerk | kRoleLeader},
      {"refuse_recall", kIn, {"recall_requested"}, "recall_refused", kRoleClerk | kRoleLeader},
  };
  return kTable;
}

std::vector<std::string> AllowedActions(Direction direction, std::string_view state) {
  std::vector<std::string> out;
  for (const auto& t : Transitions()) {
    if (t.direction == direction &&
        std::find(t.from.begin(), t.from.end(), state) != t.from.end()) {
      out.emplace_back(t.action);
    }
  }
  return out;
}

Result<const Transition*> FindTransition(Direction direction, std::string_view state,
                                         std::string_view action) {
  for (const auto& t : Transitions()) {
    if (t.direction == direction && t.action == action &&
        std::find(t.from.begin(), t.from.end(), state) != t.from.end()) {
      return &t;
    }
  }
  Error e = MakeError(ErrorCode::kInvalidTransition,
                      "Action '" + std::string(action) + "' is not allowed in state '" +
                          std::string(state) + "'.");
  e.allowed = AllowedActions(direction, state);
  return e;
}

bool IsOpenState(Direction direction, std::string_view state) {
  static const std::vector<std::string_view> kClosed{
      "issued", "recalled", "replaced", "filed", "archived", "returned", "completed"};
  (void)direction;
  return std::find(kClosed.begin(), kClosed.end(), state) == kClosed.end();
}

std::string SeriesFor(const Document& doc) {
  if (doc.legal_normative) return "legal:" + doc.type_code;
  if (doc.classification != Classification::kNormal) return "secret";
  return "regular";
}

std::string FormatNumberSymbol(std::int64_t number, std::string_view type_code,
                               std::string_view issuer_abbreviation,
                               std::string_view drafting_unit_abbreviation) {
  std::string out = number < 10 ? "0" + std::to_string(number) : std::to_string(number);
  out += '/';
  if (type_code.empty()) {
    out += issuer_abbreviation;
    if (!drafting_unit_abbreviation.empty() &&
        drafting_unit_abbreviation != issuer_abbreviation) {
      out += '-';
      out += drafting_unit_abbreviation;
    }
  } else {
    out += type_code;
    out += '-';
    out += issuer_abbreviation;
  }
  return out;
}

std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace chancery
