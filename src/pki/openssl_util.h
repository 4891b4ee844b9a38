// Shared inside src/pki: OpenSSL's error queue in words, and keys from a
// PKCS#11 token (pkcs11.cc, through libp11's engine for OpenSSL).
#pragma once

#include <openssl/evp.h>

#include <string>

#include "core/result.h"

namespace chancery::pki::internal {

// OpenSSL's error queue as one line, with each error's detail (and emptied).
std::string OpenSslErrors();

// The key named by an RFC 7512 URI in the token of `module`, logged in with
// `pin`. The key stays in the token: the EVP_PKEY signs through it. On
// success `*out` is owned by the caller.
Status LoadTokenKey(const std::string& uri, const std::string& module, const std::string& pin,
                    EVP_PKEY** out);

}  // namespace chancery::pki::internal
