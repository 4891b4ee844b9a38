// The life of a document: which action moves it from which state to which,
// who may take it, and how its number and symbol are built (Decree 30).
//
// Pure rules, no I/O; services/ asks these before it writes anything, and a
// refused action is answered with the list of actions the state allows.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/result.h"

namespace chancery {

// Outgoing: draft → in_review → approved → signed → numbered → sealed → issued
//           → filed → archived; send_back returns a review to draft; an issued
//           document may be recalled (thu hồi) or replaced.
// Incoming: received → registered → assigned → in_progress → completed → filed
//           → archived; a received document may be returned (trả lại) to its sender.
//           A copy from another agency is frozen in recall_requested while its
//           sender asks to withdraw it, until the clerk agrees or refuses.
struct Transition {
  std::string_view action;
  Direction direction;
  std::vector<std::string_view> from;
  std::string_view to;
  std::uint32_t roles;  // any of these roles may take the action
};

const std::vector<Transition>& Transitions();

// The transition for `action` on a document in `state`, or kInvalidTransition
// (with Error::allowed = the actions allowed from `state`) if there is none.
Result<const Transition*> FindTransition(Direction direction, std::string_view state,
                                         std::string_view action);
std::vector<std::string> AllowedActions(Direction direction, std::string_view state);

// True while the document still needs work (it passes to a successor unit
// when its unit is retired).
bool IsOpenState(Direction direction, std::string_view state);

// The number series a document is counted in: legal-normative documents per
// type ("legal:QĐ"), classified documents in "secret", all others "regular".
std::string SeriesFor(const Document& doc);

// "15/QĐ-BQP" for a typed document, "1234/BQP-VP" for a công văn (type "").
// Numbers below 10 get a leading zero ("01/QĐ-BQP"), as Decree 30 requires.
std::string FormatNumberSymbol(std::int64_t number, std::string_view type_code,
                               std::string_view issuer_abbreviation,
                               std::string_view drafting_unit_abbreviation);

// Counts Unicode code points of valid UTF-8 (what "≤ 500 characters" means).
std::size_t Utf8Length(std::string_view s);

}  // namespace chancery
