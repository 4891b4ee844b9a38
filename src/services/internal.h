// Helpers shared by the services' translation units; not part of the API.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/model.h"
#include "core/result.h"
#include "services/services.h"
#include "store/store.h"

namespace chancery::services {

// kInvalidArgument when `value` is empty (if required) or longer than max_chars.
Status CheckText(std::string_view field, const std::string& value, std::size_t max_chars,
                 bool required);
Status RequireRoles(const User& actor, std::uint32_t roles);
// The newest active certificate of a profile for a person or a unit (or the
// node's own, with neither).
Result<std::optional<store::CertificateRecord>> ActiveCertificate(store::Tx& tx,
                                                                  std::string_view profile,
                                                                  std::optional<Id> user_id,
                                                                  std::optional<Id> unit_id);

// At most this many password hashes at once, whoever asks: argon2 takes
// memory and a core, and logins must not starve the rest of the node.
class Services::HashGate {
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

}  // namespace chancery::services
