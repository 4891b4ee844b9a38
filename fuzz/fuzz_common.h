// Shared by the PKI fuzz targets and make_fuzz_seeds: the fixed test CA and
// signer (fuzz/keys/, throw-away keys made by make_fuzz_seeds, trusted
// nowhere but here) so that the checked-in seeds verify inside the fuzzer,
// the small PDF of src/lib/pki/pades_test.cc, and the invariant checks.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lib/pki/pades.h"
#include "lib/pki/pki.h"

#ifndef CHANCERY_FUZZ_KEYS
#error "CHANCERY_FUZZ_KEYS (the fuzz/keys directory) must be defined"
#endif

namespace chancery::fuzz {

// The fuzzers' "now": a fixed instant inside the fixed keys' validity
// (fuzz/keys: 2026-11-22 to 2046), so that no run depends on the machine's
// clock. 2027-06-01T00:00:00Z.
inline Timestamp Now() { return Timestamp(std::chrono::seconds(1811808000)); }

// Stops the fuzzer with a message (libFuzzer saves the input as a crash).
[[noreturn]] inline void Fail(std::string_view what, const Error* e = nullptr) {
  std::fprintf(stderr, "INVARIANT VIOLATED: %.*s", static_cast<int>(what.size()), what.data());
  if (e) {
    std::fprintf(stderr, " (code %d: %s", static_cast<int>(e->code), e->message.c_str());
    for (const auto& f : e->fields)
      std::fprintf(stderr, "; %s %s: %s", f.field.c_str(), f.code.c_str(), f.message.c_str());
    std::fprintf(stderr, ")");
  }
  std::fprintf(stderr, "\n");
  std::abort();
}
inline void Check(bool ok, std::string_view what) {
  if (!ok) Fail(what);
}
// A refusal must be the input's fault (kInvalidArgument), never an internal error.
template <class T>
void CheckRefusal(const Result<T>& r, std::string_view what) {
  if (!r.ok() && r.error().code != ErrorCode::kInvalidArgument) Fail(what, &r.error());
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
inline void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

struct Keys {
  std::string ca_key, ca_pem, signer_key, signer_pem;
  static std::string Dir() { return CHANCERY_FUZZ_KEYS; }
  static Keys Load() {
    Keys k{ReadFile(Dir() + "/ca.key"), ReadFile(Dir() + "/ca.pem"),
           ReadFile(Dir() + "/signer.key"), ReadFile(Dir() + "/signer.pem")};
    if (k.ca_key.empty() || k.ca_pem.empty() || k.signer_key.empty() || k.signer_pem.empty()) {
      Fail("fuzz/keys/{ca,signer}.{key,pem} missing: run make_fuzz_seeds <fuzz dir>");
    }
    return k;
  }
  pki::Issuer Ca() const { return {ca_pem, pki::KeyRef::Pem(ca_key)}; }
};

// A small PDF of `pages` pages (object 4: page 1's content stream).
inline std::string MakePdf(int pages = 1) {
  std::vector<std::string> texts;
  for (int i = 0; i < pages; ++i) texts.push_back("Quyet dinh trang " + std::to_string(i + 1));
  return pki::SimplePdf(texts);
}

// Appends an incremental update that replaces object `id` with `body`.
inline std::string AppendUpdate(const std::string& pdf, int id, const std::string& body, int size) {
  const auto at = pdf.rfind("startxref");
  const long long prev = std::stoll(pdf.substr(at + 9));
  std::string out = pdf;
  const std::size_t offset = out.size();
  out += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  const std::size_t xref = out.size();
  char entry[24];
  std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
  out += "xref\n" + std::to_string(id) + " 1\n" + entry + "trailer\n<< /Size " +
         std::to_string(size) + " /Root 1 0 R /Prev " + std::to_string(prev) + " >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace chancery::fuzz
