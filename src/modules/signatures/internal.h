// Helpers the signatures module's files share. Internal to src/modules/signatures.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "modules/signatures/service.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace signatures_detail {

constexpr std::string_view kNodeCaProfile = "root_ca";
constexpr std::string_view kTrustedRootProfile = "trusted_root";
constexpr std::string_view kTrustedIntermediateProfile = "trusted_intermediate";

inline std::string NewSerialNote(const signatures::CertificateRecord& c) {
  return json::serialize(json::object{{"serial", c.serial},
                                      {"profile", c.profile},
                                      {"subject", c.subject},
                                      {"user_id", c.user_id ? json::value(*c.user_id) : nullptr},
                                      {"unit_id", c.unit_id ? json::value(*c.unit_id) : nullptr}});
}

inline Error NoCa() {
  return MakeError(ErrorCode::kUnavailable,
                   "This node has no certificate authority yet (chancery pki init-ca).");
}

inline Status CheckPin(std::string_view field, const std::string& pin) {
  if (pin.size() < 6 || pin.size() > 64) {
    return Error::Invalid(std::string(field), "bad_pin", "A signing PIN has 6 to 64 characters.");
  }
  return Ok();
}

inline Result<signatures::CertificateRecord> NodeCa(store::Tx& tx) {
  CHY_TRY(auto ca, ActiveCertificate(tx, kNodeCaProfile, std::nullopt, std::nullopt));
  if (!ca) return NoCa();
  return *ca;
}

}  // namespace signatures_detail

}  // namespace chancery::services
