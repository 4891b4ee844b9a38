// The org module's use cases. Units, reorganisations, users, sessions and four-eyes approvals.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "modules/org/store.h"
#include "services/services.h"

namespace chancery::services {

// The org module's settings ([auth] in chancery.toml).
struct OrgSettings {
  int lockout_threshold = 5;                      // failed logins per name before delays
  std::chrono::minutes lockout_duration{15};      // the longest delay
  std::chrono::seconds throttle_first_delay{30};  // doubling after each further failure
  int throttle_address_tries = 50;                // failed logins per client address
  int password_hash_slots = 2;                    // argon2 checks at once
  std::chrono::hours session_lifetime{12};
  std::chrono::hours token_lifetime{24 * 90};
  // argon2id cost (RFC 9106 "second recommended" is t=3, m=64 MiB; OWASP's
  // floor is t=2, m=19 MiB). Tests lower it to keep thousands of logins fast.
  std::uint32_t argon2_time_cost = 2;
  std::uint32_t argon2_memory_kib = 19 * 1024;
};

struct LoginResult {
  std::string token;       // secret: returned once, stored only as its hash
  std::string csrf_token;  // for cookie sessions
  Timestamp expires_at{};
  User user;
};

struct UnitInput {
  std::optional<std::string> name;
  std::optional<std::string> abbreviation;
  std::optional<std::string> agency_code;
  std::optional<std::optional<Id>> parent_id;  // set to nullopt inside = make root
  std::optional<bool> issues_documents;
  std::optional<Date> effective_date;
};

struct ReorganizationInput {
  std::string kind;  // "merge", "split", "dissolve"
  Date effective_date{};
  std::vector<Id> sources;
  std::vector<Id> targets;         // existing units
  std::vector<Unit> new_units;     // created as targets (after `targets`)
  std::optional<Id> successor_id;  // receives open work; default first target
  std::string note;
};

struct ReorganizationResult {
  org::Reorganization reorganization;
  std::vector<Id> created_unit_ids;
  int transferred = 0;
};

struct UserInput {
  std::optional<std::string> username;
  std::optional<std::string> full_name;
  std::optional<Id> unit_id;
  std::optional<std::string> position;
  std::optional<std::uint32_t> roles;
  std::optional<Classification> clearance;
  std::optional<bool> active;
  std::optional<std::string> password;
  std::optional<std::string> current_password;  // changing one's own password
};

struct UserUpdate {
  User user;                             // as it is now (unchanged while a request is pending)
  std::optional<org::Approval> pending;  // the change waits for a second person
};

// Whether `actor` sees `user`'s clearance: their own, or as an
// administrator or security officer (clerks and leaders see names, units
// and positions only).
inline bool MaySeeClearance(const Actor& actor, const User& user) {
  return actor.id == user.id || actor.Has(kRoleAdmin) || actor.Has(kRoleSecurity);
}

class OrgService : public Core {
 public:
  explicit OrgService(const Core& core, OrgSettings settings = {});
  const OrgSettings& settings() const { return settings_; }
  ~OrgService();

  // ---- Authentication ----
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& kind /* "cookie" or "bearer" */,
                            const std::string& client_address = "");
  // The user behind a token; kUnauthenticated when unknown or expired.
  Result<std::pair<User, org::Session>> Authenticate(const std::string& token);
  Status Logout(const std::string& token);
  std::string HashPassword(const std::string& password);
  // ---- Units ----
  Result<std::vector<Unit>> ListUnits(const Actor& actor);
  Result<Unit> GetUnit(const Actor& actor, Id id);
  Result<Unit> CreateUnit(const Actor& actor, const UnitInput& in);
  Result<Unit> UpdateUnit(const Actor& actor, Id id, const UnitInput& in,
                          std::optional<std::int64_t> expected_version);
  Result<org::UnitVersion> UnitAsOf(const Actor& actor, Id id, Date date);
  Result<std::vector<org::UnitVersion>> UnitHistory(const Actor& actor, Id id);
  Result<std::vector<org::Transfer>> UnitTransfers(const Actor& actor, Id id);
  Result<ReorganizationResult> Reorganize(const Actor& actor, const ReorganizationInput& in);
  // Cycles and orphans in the unit tree (`chancery config check`); empty when sound.
  Result<std::vector<std::string>> CheckUnitTree();
  // ---- Users ----
  Result<std::vector<User>> ListUsers(const Actor& actor, std::optional<Id> after, int limit);
  Result<User> GetUser(const Actor& actor, Id id);
  // Privileged parts (administrator or security_officer roles, a clearance)
  // asked by a person become a request in *pending, for a second person.
  Result<User> CreateUser(const Actor& actor, const UserInput& in,
                          std::optional<org::Approval>* pending = nullptr);
  // The person a console command acts as (`--as USERNAME`).
  Result<User> ConsoleActAs(const std::string& username);
  // The user's own UI language ("vi", "en", "fr"); not an account change, so
  // the user's version stays.
  Result<User> SetLanguage(const Actor& actor, const std::string& language);
  // The directory any signed-in user may read: names, positions, units.
  Result<std::vector<User>> FindPeople(const Actor& actor, const org::PeopleQuery& q);
  // Granting administrator or security_officer, raising a clearance and
  // resetting a privileged person's password are filed as a request
  // (UserUpdate::pending) that another person approves.
  Result<UserUpdate> UpdateUser(const Actor& actor, Id id, const UserInput& in,
                                std::optional<std::int64_t> expected_version);
  // Four eyes (docs/security.md).
  Result<std::vector<org::Approval>> ListApprovals(const Actor& actor, const std::string& state);
  Result<org::Approval> DecideApproval(const Actor& actor, Id id, bool approve,
                                       const std::string& reason);
  // Four eyes: what an approved request of another module's kind does
  // (e.g. documents registers "document.declassify"), in the deciding
  // transaction.
  using ApprovalApply = std::function<Status(store::Tx&, const Actor&, const org::Approval&)>;
  void OnApproved(const std::string& kind, ApprovalApply apply) {
    on_approved_[kind] = std::move(apply);
  }

  // ---- for the modules above this one ----
  Result<org::Approval> FileApproval(store::Tx& tx, const Actor& actor, const std::string& kind,
                                     Id object_id, const std::string& payload);

 private:
  bool VerifyPassword(const std::string& encoded, const std::string& password);
  Result<User> ApplyUserChange(store::Tx& tx, const Actor& actor, User u, const UserInput& in,
                               const std::string& password_hash);
  Status MayDecide(store::Tx& tx, const Actor& actor, const org::Approval& a);

  OrgSettings settings_;
  class HashGate;
  std::unique_ptr<HashGate> hash_gate_;
  std::map<std::string, ApprovalApply> on_approved_;
};

}  // namespace chancery::services
