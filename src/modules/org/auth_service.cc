// Services: logins, sessions and password hashing.
#include <argon2.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "core/digest.h"
#include "core/document_flow.h"
#include "modules/org/service.h"
#include "modules/org/store.h"
#include "services/internal.h"

namespace chancery::services {

// At most this many password hashes at once, whoever asks: argon2 takes
// memory and a core, and logins must not starve the rest of the node.
class OrgService::HashGate {
 public:
  explicit HashGate(int slots) : free_(slots) {}
  template <typename F>
  auto Run(F&& f) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return free_ > 0; });
      --free_;
    }
    struct Release {
      HashGate* g;
      ~Release() {
        {
          std::lock_guard lock(g->mu_);
          ++g->free_;
        }
        g->cv_.notify_one();
      }
    } release{this};
    return f();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_;
};

OrgService::OrgService(const Core& core, OrgSettings settings)
    : Core(core),
      settings_(std::move(settings)),
      hash_gate_(std::make_unique<HashGate>(std::max(1, settings_.password_hash_slots))) {}

OrgService::~OrgService() = default;

namespace json = boost::json;

// ---------------------------------------------------------------- auth

std::string OrgService::HashPassword(const std::string& password) {
  unsigned char salt[16];
  random_.Fill(salt, sizeof salt);
  const std::size_t len = argon2_encodedlen(settings_.argon2_time_cost, settings_.argon2_memory_kib,
                                            1, sizeof salt, 32, Argon2_id);
  std::string encoded(len, '\0');
  const int rc = argon2id_hash_encoded(settings_.argon2_time_cost, settings_.argon2_memory_kib, 1,
                                       password.data(), password.size(), salt, sizeof salt, 32,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return "";
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool OrgService::VerifyPassword(const std::string& encoded, const std::string& password) {
  if (encoded.empty()) return false;
  return hash_gate_->Run([&] {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
  });
}

Result<LoginResult> OrgService::Login(const std::string& username, const std::string& password,
                                      const std::string& kind, const std::string& client_address) {
  if (kind != "cookie" && kind != "bearer") {
    return Error::Invalid("kind", "not_allowed_value", "Use 'cookie' or 'bearer'.");
  }
  const Timestamp now = clock_.Now();
  // Throttled per user name (existing or not, so the answer tells nothing
  // about which names exist) and per client address; nobody can lock an
  // account for good, only slow the guesses down.
  const std::string name_key = "user:" + username;
  const std::string address_key = "ip:" + client_address;
  const Error wrong = MakeError(ErrorCode::kUnauthenticated, "Wrong user name or password.");
  std::optional<org::StoredUser> found;
  Timestamp allowed_at{};
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(Timestamp by_name, org::Store(tx).LoginAllowedAt(name_key));
    CHY_TRY(Timestamp by_address, org::Store(tx).LoginAllowedAt(address_key));
    allowed_at = std::max(by_name, by_address);
    auto u = org::Store(tx).GetUserByName(username);
    if (u.ok()) {
      found = std::move(*u);
    } else if (u.error().code != ErrorCode::kNotFound) {
      return std::move(u).error();
    }
    return Ok();
  }));
  if (allowed_at > now) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(allowed_at - now);
    Error e = MakeError(ErrorCode::kAccountLocked, "Too many failed logins; try again in " +
                                                       std::to_string(wait.count()) + " seconds.");
    e.retry_after_seconds = wait.count();
    return e;
  }
  // The hash is checked outside any transaction, on a bounded gate; an
  // unknown name costs the same time as a real check.
  static const std::string kDecoy =
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$"
      "0000000000000000000000000000000000000000000";
  const std::string& encoded =
      found && found->user.active && !found->password_hash.empty() ? found->password_hash : kDecoy;
  const bool verified = hash_gate_->Run([&] {
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
  });
  const bool good = verified && &encoded != &kDecoy;
  if (!good) {
    CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
      const auto first =
          std::chrono::duration_cast<std::chrono::seconds>(settings_.throttle_first_delay);
      const auto cap = std::chrono::duration_cast<std::chrono::seconds>(settings_.lockout_duration);
      CHY_TRY(auto by_name, org::Store(tx).CountLoginFailure(
                                name_key, now, settings_.lockout_threshold, first, cap));
      CHY_TRY(auto by_address, org::Store(tx).CountLoginFailure(
                                   address_key, now, settings_.throttle_address_tries, first, cap));
      // A burst is the security officer's business: one alert as each
      // throttle starts.
      if (by_name.first == settings_.lockout_threshold ||
          by_address.first == settings_.throttle_address_tries) {
        json::object details{{"username", username},
                             {"client_address", client_address},
                             {"failures_for_name", by_name.first},
                             {"failures_from_address", by_address.first}};
        CHY_TRY_STATUS(Audit(tx, nullptr, "security.login_burst", found ? "user" : "login",
                             found ? std::optional(found->user.id) : std::nullopt,
                             json::serialize(details)));
      }
      return Ok();
    }));
    return wrong;
  }
  LoginResult result;
  CHY_TRY_STATUS(store_.Write([&](store::Tx& tx) -> Status {
    CHY_TRY_STATUS(org::Store(tx).ClearLoginFailures(name_key));
    CHY_TRY_STATUS(org::Store(tx).ClearLoginFailures(address_key));
    result.token = RandomHex(random_, 32);
    result.csrf_token = kind == "cookie" ? RandomHex(random_, 16) : "";
    const auto lifetime = kind == "cookie" ? settings_.session_lifetime : settings_.token_lifetime;
    result.expires_at = now + std::chrono::duration_cast<std::chrono::microseconds>(lifetime);
    result.user = found->user;
    CHY_TRY_STATUS(org::Store(tx).InsertSession(
        {Sha256Hex(result.token), found->user.id, kind, result.csrf_token, result.expires_at},
        now));
    return Audit(tx, &found->user, "user.login", "user", found->user.id,
                 R"({"kind":")" + kind + "\"}");
  }));
  return result;
}

Result<std::pair<User, org::Session>> OrgService::Authenticate(const std::string& token) {
  const Error bad = MakeError(ErrorCode::kUnauthenticated, "The session is not valid; log in.");
  if (token.size() != 64) return bad;
  std::pair<User, org::Session> out;
  Status s = store_.Read([&](store::Tx& tx) -> Status {
    auto session = org::Store(tx).GetSession(Sha256Hex(token));
    if (!session.ok()) return session.error().code == ErrorCode::kNotFound ? bad : session.error();
    if (session->expires_at <= clock_.Now()) return bad;
    CHY_TRY(auto user, org::Store(tx).GetUser(session->user_id));
    if (!user.user.active) return bad;
    out = {std::move(user.user), std::move(*session)};
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Status OrgService::Logout(const std::string& token) {
  return store_.Write([&](store::Tx& tx) -> Status {
    auto session = org::Store(tx).GetSession(Sha256Hex(token));
    if (!session.ok()) return Ok();
    CHY_TRY_STATUS(org::Store(tx).DeleteSession(Sha256Hex(token)));
    CHY_TRY(auto user, org::Store(tx).GetUser(session->user_id));
    return Audit(tx, &user.user, "user.logout", "user", user.user.id, "");
  });
}

}  // namespace chancery::services
