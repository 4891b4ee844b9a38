// Content-addressed storage for document files (PDFs, attachments, packages).
//
// A blob is named by the lower-case hex SHA-256 of its bytes, so storing the
// same bytes twice is free and a stored blob can never change under its name.
// The content type is sniffed from the bytes with libmagic, never taken from
// the client. Services receive a BlobStore& at construction: FileBlobStore in
// the server, MemoryBlobStore (or a fault-injecting wrapper) in tests.
//
// Thread safety: every implementation here may be called from any thread
// concurrently. Calls block on disk I/O; keep them off the Asio I/O threads.
//
// Failure: kInvalidArgument for a name that is not 64 lower-case hex digits
// (checked before any path is built, so no path traversal), kNotFound for an
// unknown blob, kHashMismatch / kPayloadTooLarge from Put, kUnavailable when
// the disk refuses (full, read-only, permissions).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

struct magic_set;  // libmagic's cookie (magic_t), kept out of this header

namespace chancery::blob {

struct BlobInfo {
  std::string sha256;        // 64 lower-case hex digits
  std::uint64_t size = 0;    // bytes
  std::string content_type;  // sniffed, e.g. "application/pdf"
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes`. When `expected_sha256` is given (what the client declared)
  // and the bytes hash differently, fails with kHashMismatch and stores
  // nothing. Storing an existing blob again succeeds and changes nothing.
  virtual Result<BlobInfo> Put(std::string_view bytes,
                               std::optional<std::string> expected_sha256) = 0;
  virtual Result<BlobInfo> Stat(std::string_view sha256) = 0;
  // Up to `length` bytes from `offset` (HTTP Range); clamped to the blob's
  // size, so reading past the end gives fewer bytes or none.
  virtual Result<std::string> Read(std::string_view sha256, std::uint64_t offset,
                                   std::uint64_t length) = 0;
  // The file holding the blob, for zero-copy download (sendfile). Stores
  // without files answer kNotFound; callers then fall back to Read.
  virtual Result<std::string> FilePath(std::string_view sha256) = 0;
};

// True for exactly 64 lower-case hex digits: the only names blobs have.
bool IsSha256Hex(std::string_view s);
// Lower-case hex SHA-256 of `bytes` (OpenSSL EVP).
std::string Sha256Hex(std::string_view bytes);

// libmagic MIME-type detection. A magic cookie is not thread-safe, so one is
// opened per sniffer and guarded by a mutex. When the magic database cannot be
// loaded every answer is "application/octet-stream" (the safe default) and
// ok() is false, for the caller to report at start-up.
class ContentSniffer {
 public:
  // Only the first kSniffBytes are looked at, so a type sniffed at upload time
  // and one sniffed again from the stored file's head always agree.
  static constexpr std::size_t kSniffBytes = 256 * 1024;

  ContentSniffer();
  ~ContentSniffer();
  ContentSniffer(const ContentSniffer&) = delete;
  ContentSniffer& operator=(const ContentSniffer&) = delete;

  bool ok() const { return cookie_ != nullptr; }
  std::string Sniff(std::string_view bytes);

 private:
  std::mutex mu_;
  ::magic_set* cookie_ = nullptr;
};

// Blobs as files under `root_dir`: `root/ab/cdef...` (the first two hex digits
// name the folder). Put writes a temporary file in the target folder, fsyncs
// it, renames it into place and fsyncs the folder, so a blob is either absent
// or complete after a crash. Folders are created on demand.
class FileBlobStore final : public BlobStore {
 public:
  FileBlobStore(std::string root_dir, std::uint64_t max_bytes);

  Result<BlobInfo> Put(std::string_view bytes, std::optional<std::string> expected_sha256) override;
  Result<BlobInfo> Stat(std::string_view sha256) override;
  Result<std::string> Read(std::string_view sha256, std::uint64_t offset,
                           std::uint64_t length) override;
  Result<std::string> FilePath(std::string_view sha256) override;

  bool sniffer_ok() const { return sniffer_.ok(); }

 private:
  std::string PathOf(std::string_view sha256) const;  // sha256 already validated

  const std::string root_;
  const std::uint64_t max_bytes_;
  ContentSniffer sniffer_;
};

// Blobs in a map; for tests. FilePath always answers kNotFound.
class MemoryBlobStore final : public BlobStore {
 public:
  explicit MemoryBlobStore(std::uint64_t max_bytes = UINT64_MAX) : max_bytes_(max_bytes) {}

  Result<BlobInfo> Put(std::string_view bytes, std::optional<std::string> expected_sha256) override;
  Result<BlobInfo> Stat(std::string_view sha256) override;
  Result<std::string> Read(std::string_view sha256, std::uint64_t offset,
                           std::uint64_t length) override;
  Result<std::string> FilePath(std::string_view sha256) override;

  std::size_t count() const;

 private:
  struct Entry {
    std::string bytes;
    std::string content_type;
  };
  const std::uint64_t max_bytes_;
  ContentSniffer sniffer_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> blobs_;
};

}  // namespace chancery::blob
