// libFuzzer target for the signature inputs that come from outside: a CMS
// signature to verify, a time-stamp response to attach, a time-stamp request
// to answer. The first byte picks the parser. Besides "no crash, no
// sanitizer report": a mangled signature never verifies, and an error is
// always kInvalidArgument (unreadable input), never an internal one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/pki/pki.h"

namespace {

using namespace chancery;
using namespace chancery::pki;

struct Fixture {
  std::string ca_key, ca_pem, signer_key, signer_pem, cms;
  Fixture() {
    const Timestamp now{std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now().time_since_epoch())};
    ca_key = *GenerateKey("");
    ca_pem = Issue({"", KeyRef::Pem(ca_key)}, {.common_name = "Fuzz Root"},
                   *PublicKeyPem(KeyRef::Pem(ca_key)), Profile::kRootCa, now, 30)
                 ->certificate_pem;
    signer_key = *GenerateKey("");
    signer_pem = Issue({ca_pem, KeyRef::Pem(ca_key)}, {.common_name = "Fuzz Signer"},
                       *PublicKeyPem(KeyRef::Pem(signer_key)), Profile::kTimestamping, now, 30)
                     ->certificate_pem;
    cms = *SignDetached("fuzz", signer_pem, KeyRef::Pem(signer_key));
  }
};

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Fixture f;
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Timestamp now{std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch())};
  switch (data[0] % 3) {
    case 0: {
      auto v = VerifyDetached(input, "fuzz", {f.ca_pem}, {}, now);
      if (!v.ok()) {
        Check(v.error().code == ErrorCode::kInvalidArgument);
      } else if (v->valid) {
        Check(input == f.cms);  // only the real signature verifies
      }
      break;
    }
    case 1: {
      auto r = AttachSignatureTimestamp(f.cms, input);
      if (!r.ok()) Check(r.error().code == ErrorCode::kInvalidArgument);
      break;
    }
    case 2: {
      auto r = StampResponse(input, f.signer_pem, KeyRef::Pem(f.signer_key), now, 1);
      if (!r.ok()) Check(r.error().code == ErrorCode::kInvalidArgument);
      break;
    }
  }
  return 0;
}
