// Helpers the src/pki tests share: the clock, public keys of PEM keys, files
// and running the command-line tools we interoperate with.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "lib/pki/pki.h"

namespace chancery::pki::testing {

inline Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// The public key of a PEM private key, for Issue.
inline std::string Pub(const std::string& key_pem, const std::string& pass = "") {
  auto pub = PublicKeyPem(KeyRef::Pem(key_pem, pass));
  EXPECT_TRUE(pub.ok()) << pub.error().message;
  return pub.ok() ? *pub : "";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path.string();
}

// Runs a shell command; its exit status, and its output (stdout and stderr) in `*output`.
inline int RunCommand(const std::string& command, std::string* output = nullptr) {
  std::string captured;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) captured.append(buf.data(), n);
  const int status = ::pclose(p);
  if (output) *output = std::move(captured);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace chancery::pki::testing
