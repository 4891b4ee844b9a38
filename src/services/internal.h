// Helpers shared by the services' translation units; not part of the API.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/model.h"
#include "core/result.h"
#include "modules/signatures/store.h"
#include "services/services.h"
#include "store/store.h"

namespace chancery::services {

// kInvalidArgument when `value` is empty (if required) or longer than max_chars.
Status CheckText(std::string_view field, const std::string& value, std::size_t max_chars,
                 bool required);
Status RequireRoles(const User& actor, std::uint32_t roles);
// The newest active certificate of a profile for a person or a unit (or the
// node's own, with neither).
Result<std::optional<signatures::CertificateRecord>> ActiveCertificate(store::Tx& tx,
                                                                       std::string_view profile,
                                                                       std::optional<Id> user_id,
                                                                       std::optional<Id> unit_id);

}  // namespace chancery::services
