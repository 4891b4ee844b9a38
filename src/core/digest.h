// SHA-256 of bytes as lower-case hex: the name of a stored file, the hash of a
// session token, the fingerprint of an idempotent request.
#pragma once

#include <string>
#include <string_view>

namespace chancery {

std::string Sha256Hex(std::string_view data);

}  // namespace chancery
