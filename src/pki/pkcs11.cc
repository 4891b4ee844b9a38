// Keys in PKCS#11 tokens through libp11's "pkcs11" engine. OpenSSL 3 marks
// the ENGINE API deprecated, and Debian 12 has no pkcs11 provider yet, so
// this one file is compiled with deprecation warnings off (CMakeLists.txt).
#include <openssl/engine.h>
#include <openssl/err.h>

#include <mutex>

#include "pki/openssl_util.h"

namespace chancery::pki::internal {

Status LoadTokenKey(const std::string& uri, const std::string& module, const std::string& pin,
                    EVP_PKEY** out) {
  // The engine keeps global state (the module, the session); one caller at a time.
  static std::mutex mu;
  std::lock_guard lock(mu);
  ENGINE* e = ENGINE_by_id("pkcs11");
  if (!e) {
    return MakeError(ErrorCode::kUnavailable,
                     "No PKCS#11 engine for OpenSSL (Debian: libengine-pkcs11-openssl): " +
                         OpenSslErrors());
  }
  const bool configured =
      (module.empty() || ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module.c_str(), 0)) &&
      ENGINE_ctrl_cmd_string(e, "PIN", pin.c_str(), 0) && ENGINE_init(e);
  if (!configured) {
    ENGINE_free(e);
    return MakeError(ErrorCode::kUnavailable, "The token's module did not load: " +
                                                  OpenSslErrors());
  }
  EVP_PKEY* key = ENGINE_load_private_key(e, uri.c_str(), nullptr, nullptr);
  ENGINE_finish(e);
  ENGINE_free(e);
  if (!key) {
    ERR_clear_error();
    return Error::Invalid("key", "not_in_token",
                          "No such key in the token, or the PIN was refused.");
  }
  *out = key;
  return Ok();
}

}  // namespace chancery::pki::internal
