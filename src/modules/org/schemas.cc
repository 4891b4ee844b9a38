#include "modules/org/schemas.h"

#include "core/model.h"
#include "lib/http/json_schema.h"
#include "modules/org/routes.h"
#include "modules/org/views.h"

namespace chancery::org {

namespace json = boost::json;
using namespace http::schema;  // NOLINT: the schema vocabulary

namespace {

// UserView. The lists and reads of users leave `clearance` out for whoever
// may not see it (services::MaySeeClearance).
json::value UserSchema(bool listed) {
  Property clearance{"clearance", Ref("Classification")};
  if (listed) clearance = Optional("clearance", Ref("Classification"));
  return Object({{"id", Integer()},
                 {"username", String()},
                 {"full_name", String()},
                 {"unit_id", Integer()},
                 {"position", String("Chức vụ")},
                 {"roles", Array(Ref("Role"))},
                 std::move(clearance),
                 {"active", Boolean()},
                 {"language", Ref("Language")},
                 {"version", Integer("The ETag's version (If-Match: \"v<version>\").")}},
                listed ? "A user as the user list and reads show it: `clearance` only to "
                         "administrators, security officers and the user themselves."
                       : "A user.");
}

// A unit's name, parent and state over a period (Routes::UnitHistory).
json::value UnitPeriodSchema() {
  return Object({{"valid_from", IsoDate()},
                 {"valid_to", Nullable(IsoDate("The first day it no longer held; null: still."))},
                 {"name", String()},
                 {"abbreviation", String()},
                 {"parent_id", Nullable(Integer())},
                 {"active", Boolean()}},
                "What a unit was over a period.");
}

// ApprovalView: what the proposer asked for, never a password hash.
json::value ApprovalSchema() {
  return Object(
      {{"id", Integer()},
       {"kind", String("user.change, document.declassify")},
       {"object_id", Integer("The user or document the request is about.")},
       {"change", AnyOf({Ref("UserChange"),
                         FreeObject("Another kind's change, as the module that files it writes it "
                                    "(document.declassify: DeclassifyChange).")})},
       {"proposed_by", Integer()},
       {"proposed_at", IsoTimestamp()},
       {"state", Enum({"pending", "approved", "rejected"})},
       {"decided_by", Nullable(Integer())},
       {"decided_at", Nullable(IsoTimestamp())},
       {"reason", String("Why it was rejected; empty otherwise.")}},
      "A four-eyes request: a privileged change waiting for (or decided by) a second person.");
}

}  // namespace

json::object AnswerSchemas() {
  const json::value user = UserSchema(false);
  const json::value period = UnitPeriodSchema();
  return {
      {"Role",
       Enum(RoleNames(kRoleClerk | kRoleSpecialist | kRoleLeader | kRoleAdmin | kRoleSecurity))},
      {"Classification", Enum(kClassifications, "Độ mật, lowest first.")},
      {"Language", Enum(kLanguageFields.front().enum_values)},
      {"User", user},
      {"ListedUser", UserSchema(true)},
      {"Me", Extend(user,
                    {{"today", IsoDate("The node's date in Vietnam: what forms propose as today.")},
                     Optional("csrf_token",
                              String("A cookie session's CSRF token (X-CSRF-Token), again."))},
                    "The signed-in user.")},
      {"Session",
       Object(
           {{"user", Ref("User")},
            {"expires_at", IsoTimestamp()},
            Optional("token", String("kind bearer: the API token (Authorization: Bearer).")),
            Optional("csrf_token", String("kind cookie: the CSRF token to send as X-CSRF-Token."))},
           "A new session: a cookie (set with this answer) and its CSRF token, or a bearer "
           "token.")},
      {"Person", Object({{"id", Integer()},
                         {"full_name", String()},
                         {"position", String()},
                         {"unit_id", Integer()}},
                        "A directory entry: what anyone signed in may know of an active user.")},
      {"Unit", Object({{"id", Integer()},
                       {"name", String()},
                       {"abbreviation", String("Used in number symbols: \"VP\".")},
                       {"agency_code", String("National agency code; may be empty.")},
                       {"parent_id", Nullable(Integer())},
                       {"issues_documents", Boolean("Has its own seal, clerk and number series.")},
                       {"active", Boolean()},
                       {"retired_on", Nullable(IsoDate())},
                       {"successor_id", Nullable(Integer("Where its open work went."))},
                       {"version", Integer()}})},
      {"UnitPeriod", period},
      {"UnitAsOf", Extend(period, {{"unit_id", Integer()}}, "What a unit was on a date.")},
      {"Transfer", Object({{"reorganization_id", Integer()},
                           {"object_type", String("document, assignment, register_book, user")},
                           {"object_id", Integer()},
                           {"to_unit_id", Integer()}},
                          "Open work a reorganisation moved to another unit.")},
      {"Reorganization", Object({{"id", Integer()},
                                 {"kind", Enum({"merge", "split", "dissolve"})},
                                 {"effective_date", IsoDate()},
                                 {"sources", Array(Integer())},
                                 {"targets", Array(Integer())},
                                 {"created_unit_ids", Array(Integer())},
                                 {"transferred", Integer("How many open objects moved.")}})},
      {"UserChange",
       Object({Optional("full_name", String()), Optional("unit_id", Integer()),
               Optional("position", String()),
               Optional("roles", Array(Ref("Role"), "The whole new set.")),
               Optional("clearance", Ref("Classification")), Optional("active", Boolean()),
               Optional("password_reset", Boolean("A new password is set (never shown)."))},
              "A user.change request: the parts of the user it changes.")},
      {"Approval", ApprovalSchema()},
      {"CreatedUser",
       Extend(user, {Optional("pending_approval", Ref("Approval"))},
              "The new user; the part of it that needs a second person waits as a request.")},
      {"PendingUserChange", Object({{"user", Ref("User")}, {"pending_approval", Ref("Approval")}},
                                   "Nothing changed yet: the request waits for a second person.")},
  };
}

}  // namespace chancery::org
