// Shared by edxml_fuzz and status_fuzz: the fuzz signer (fuzz/keys), seed
// writing on request, and the one exercise both run on an input: read,
// verify against the fuzz CA, write again and read back. Invariants:
// - a refusal is kInvalidArgument (kPayloadTooLarge for TOO_LARGE) with a
//   reason code, never an internal error; VerifySignature never errs on
//   what the reader accepted, and a failed check says why;
// - a signature that verifies is the fuzz signer's (nothing else is
//   certified by the fuzz CA);
// - whatever the reader accepts and the writer can write again reads back
//   the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "lib/edxml/edxml.h"

namespace chancery::fuzz {

inline constexpr edxml::Limits kEdxmlLimits{1u << 20, 16, 256u << 10};

struct EdxmlFixture {
  Keys keys = Keys::Load();
  pki::Signer signer = Open(keys);
  std::string subject = pki::DescribeCertificate(keys.signer_pem)->subject;

  static pki::Signer Open(const Keys& k) {
    auto s = pki::Signer::Open(k.signer_pem, pki::KeyRef::Pem(k.signer_key));
    if (!s.ok()) Fail("opening the fuzz signer", &s.error());
    return *s;
  }
};

inline const EdxmlFixture& Edxml() {
  static const EdxmlFixture f;
  return f;
}

// For LLVMFuzzerInitialize: with CHANCERY_WRITE_SEEDS=<dir>, writes the
// seeds there and exits.
inline void WriteSeedsIfAsked(void (*write)(const std::string& dir)) {
  if (const char* dir = std::getenv("CHANCERY_WRITE_SEEDS")) {
    write(dir);
    std::exit(0);
  }
}

// `read(bytes, limits)` -> Result<Parsed>; `write(content, signer)` ->
// Result<std::string>; `content(parsed)` -> the model compared.
template <class Read, class Write, class Content>
void ExerciseEdxml(std::string_view input, Read read, Write write, Content content) {
  const EdxmlFixture& f = Edxml();
  auto parsed = read(input, kEdxmlLimits);
  if (!parsed.ok()) {
    const Error& e = parsed.error();
    const bool too_large = edxml::ReasonOf(e) == edxml::kReasonTooLarge;
    const ErrorCode expected =
        too_large ? ErrorCode::kPayloadTooLarge : ErrorCode::kInvalidArgument;
    if (e.code != expected || edxml::ReasonOf(e).empty()) Fail("an odd refusal", &e);
    return;
  }
  auto check = edxml::VerifySignature(*parsed, {f.keys.ca_pem}, {}, Now());
  if (!check.ok()) Fail("VerifySignature erred on what the reader accepted", &check.error());
  if (check->ok) Check(check->signer_subject == f.subject, "a valid signature by someone else");
  if (!check->ok) Check(!check->reason_code.empty(), "a failed check without a reason");

  auto again = write(content(*parsed), f.signer);
  if (!again.ok()) {
    if (again.error().code != ErrorCode::kInvalidArgument) Fail("the writer erred", &again.error());
    return;
  }
  auto reread = read(*again, edxml::Limits{});
  if (!reread.ok()) Fail("our own output does not read back", &reread.error());
  Check(content(*reread) == content(*parsed), "a write-read round trip changed the content");
}

}  // namespace chancery::fuzz

// The libFuzzer entry points of a target: seeds by `write_seeds`, inputs
// through ExerciseEdxml(input, read, write, content).
#define CHANCERY_EDXML_FUZZER(write_seeds, read, write, content)                                 \
  extern "C" int LLVMFuzzerInitialize(int*, char***) {                                           \
    ::chancery::fuzz::WriteSeedsIfAsked(write_seeds);                                            \
    return 0;                                                                                    \
  }                                                                                              \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {            \
    ::chancery::fuzz::ExerciseEdxml(std::string_view(reinterpret_cast<const char*>(data), size), \
                                    read, write, content);                                       \
    return 0;                                                                                    \
  }
