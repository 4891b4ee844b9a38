// Helpers shared by the services' translation units; not part of the API.
#pragma once

#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/model.h"
#include "core/result.h"

namespace chancery::services {

// kInvalidArgument when `value` is empty (if required) or longer than max_chars.
Status CheckText(std::string_view field, const std::string& value, std::size_t max_chars,
                 bool required);
Status RequireRoles(const User& actor, std::uint32_t roles);

}  // namespace chancery::services
