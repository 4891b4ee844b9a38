// SHA-256 of bytes as lower-case hex: the name of a stored file, the hash of a
// session token, the fingerprint of an idempotent request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chancery {

std::string Sha256Hex(std::string_view data);

// Bytes as hex (lower-case unless `upper`), and back; nullopt for an odd
// length or a character that is not a hex digit.
std::string HexEncode(std::string_view bytes, bool upper = false);
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace chancery
