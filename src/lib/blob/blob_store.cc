#include "lib/blob/blob_store.h"

#include <fcntl.h>
#include <magic.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace chancery::blob {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

Error Unavailable(std::string_view what, const std::string& path, int err) {
  return MakeError(ErrorCode::kUnavailable,
                   std::string(what) + " " + path + ": " + std::strerror(err));
}

Error BadName() {
  return Error::Invalid("sha256", "bad_format", "A blob name is 64 lower-case hexadecimal digits.");
}

Error NotFound() { return MakeError(ErrorCode::kNotFound, "No such file."); }

Error TooLarge(std::uint64_t max_bytes) {
  return MakeError(ErrorCode::kPayloadTooLarge,
                   "The file is larger than " + std::to_string(max_bytes) + " bytes.");
}

// Validates the declared hash (if any) against the bytes. Returns the actual hash.
Result<std::string> CheckBytes(std::string_view bytes, const std::optional<std::string>& expected,
                               std::uint64_t max_bytes) {
  if (bytes.size() > max_bytes) return TooLarge(max_bytes);
  if (expected && !IsSha256Hex(*expected)) return BadName();
  std::string actual = Sha256Hex(bytes);
  if (expected && *expected != actual) {
    return MakeError(ErrorCode::kHashMismatch,
                     "The file's SHA-256 is " + actual + ", not the declared " + *expected + ".");
  }
  return actual;
}

// Closes a file descriptor on every path out of a scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the error close() gives (delayed write errors).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads up to `length` bytes at `offset`; fewer at end of file.
bool ReadAt(int fd, std::uint64_t offset, std::uint64_t length, std::string* out) {
  out->resize(length);
  std::uint64_t done = 0;
  while (done < length) {
    const ssize_t n =
        ::pread(fd, out->data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  out->resize(done);
  return true;
}

// Makes a directory's entries (a rename, a new subfolder) durable.
bool SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

// Creates `dir` if missing; fsyncs `parent` when it did.
bool EnsureDirectory(const std::string& dir, const std::string& parent) {
  if (::mkdir(dir.c_str(), 0750) == 0) return SyncDirectory(parent);
  return errno == EEXIST;
}

}  // namespace

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    std::abort();  // OpenSSL cannot hash: nothing content-addressed can work
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(64, '\0');
  for (unsigned int i = 0; i < 32; ++i) {
    out[2 * i] = kDigits[md[i] >> 4];
    out[2 * i + 1] = kDigits[md[i] & 0x0f];
  }
  return out;
}

// ---------------------------------------------------------------------------
// ContentSniffer

ContentSniffer::ContentSniffer() {
  // No MAGIC_COMPRESS: never decompress (or spawn helpers for) client data.
  magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
  if (cookie == nullptr) return;
  if (magic_load(cookie, nullptr) != 0) {
    magic_close(cookie);
    return;
  }
  cookie_ = cookie;
}

ContentSniffer::~ContentSniffer() {
  if (cookie_ != nullptr) magic_close(cookie_);
}

std::string ContentSniffer::Sniff(std::string_view bytes) {
  if (cookie_ == nullptr) return std::string(kOctetStream);
  bytes = bytes.substr(0, kSniffBytes);
  std::lock_guard lock(mu_);
  const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
  if (type == nullptr || *type == '\0') return std::string(kOctetStream);
  return type;
}

// ---------------------------------------------------------------------------
// FileBlobStore

FileBlobStore::FileBlobStore(std::string root_dir, std::uint64_t max_bytes)
    : root_(std::move(root_dir)), max_bytes_(max_bytes) {}

std::string FileBlobStore::PathOf(std::string_view sha256) const {
  std::string path = root_;
  path += '/';
  path += sha256.substr(0, 2);
  path += '/';
  path += sha256.substr(2);
  return path;
}

Result<BlobInfo> FileBlobStore::Put(std::string_view bytes,
                                    std::optional<std::string> expected_sha256) {
  CHY_TRY(std::string sha, CheckBytes(bytes, expected_sha256, max_bytes_));
  BlobInfo info{sha, bytes.size(), sniffer_.Sniff(bytes)};
  const std::string path = PathOf(sha);

  // Already stored: same name means same bytes (a file of another size can
  // only be damage, and is replaced below).
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::uint64_t>(st.st_size) == bytes.size()) {
    return info;
  }

  const std::string dir = root_ + "/" + sha.substr(0, 2);
  if (!EnsureDirectory(root_, root_ + "/..")) return Unavailable("Cannot create", root_, errno);
  if (!EnsureDirectory(dir, root_)) return Unavailable("Cannot create", dir, errno);

  std::string temp = dir + "/.tmp-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return Unavailable("Cannot create a file in", dir, errno);
  const auto fail = [&](std::string_view what, int err) {
    ::unlink(temp.c_str());
    return Unavailable(what, temp, err);
  };
  if (::fchmod(fd.get(), 0640) != 0) return fail("Cannot set the mode of", errno);
  if (!WriteAll(fd.get(), bytes)) return fail("Cannot write", errno);
  if (::fsync(fd.get()) != 0) return fail("Cannot sync", errno);
  if (fd.Close() != 0) return fail("Cannot close", errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("Cannot rename", errno);
  if (!SyncDirectory(dir)) return Unavailable("Cannot sync", dir, errno);
  return info;
}

Result<BlobInfo> FileBlobStore::Stat(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return BadName();
  const std::string path = PathOf(sha256);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound();
    return Unavailable("Cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Unavailable("Cannot stat", path, errno);
  std::string head;
  if (!ReadAt(fd.get(), 0, ContentSniffer::kSniffBytes, &head)) {
    return Unavailable("Cannot read", path, errno);
  }
  return BlobInfo{std::string(sha256), static_cast<std::uint64_t>(st.st_size),
                  sniffer_.Sniff(head)};
}

Result<std::string> FileBlobStore::Read(std::string_view sha256, std::uint64_t offset,
                                        std::uint64_t length) {
  if (!IsSha256Hex(sha256)) return BadName();
  const std::string path = PathOf(sha256);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound();
    return Unavailable("Cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Unavailable("Cannot stat", path, errno);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (offset >= size) return std::string();
  std::string out;
  if (!ReadAt(fd.get(), offset, std::min(length, size - offset), &out)) {
    return Unavailable("Cannot read", path, errno);
  }
  return out;
}

Result<std::string> FileBlobStore::FilePath(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return BadName();
  std::string path = PathOf(sha256);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFound();
    return Unavailable("Cannot stat", path, errno);
  }
  if (!S_ISREG(st.st_mode)) return NotFound();
  return path;
}

// ---------------------------------------------------------------------------
// MemoryBlobStore

Result<BlobInfo> MemoryBlobStore::Put(std::string_view bytes,
                                      std::optional<std::string> expected_sha256) {
  CHY_TRY(std::string sha, CheckBytes(bytes, expected_sha256, max_bytes_));
  std::string type = sniffer_.Sniff(bytes);
  BlobInfo info{sha, bytes.size(), type};
  std::lock_guard lock(mu_);
  blobs_.try_emplace(std::move(sha), Entry{std::string(bytes), std::move(type)});
  return info;
}

Result<BlobInfo> MemoryBlobStore::Stat(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return BadName();
  std::lock_guard lock(mu_);
  const auto it = blobs_.find(sha256);
  if (it == blobs_.end()) return NotFound();
  return BlobInfo{it->first, it->second.bytes.size(), it->second.content_type};
}

Result<std::string> MemoryBlobStore::Read(std::string_view sha256, std::uint64_t offset,
                                          std::uint64_t length) {
  if (!IsSha256Hex(sha256)) return BadName();
  std::lock_guard lock(mu_);
  const auto it = blobs_.find(sha256);
  if (it == blobs_.end()) return NotFound();
  const std::string& bytes = it->second.bytes;
  if (offset >= bytes.size()) return std::string();
  return bytes.substr(offset, std::min<std::uint64_t>(length, bytes.size() - offset));
}

Result<std::string> MemoryBlobStore::FilePath(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return BadName();
  return NotFound();
}

std::size_t MemoryBlobStore::count() const {
  std::lock_guard lock(mu_);
  return blobs_.size();
}

}  // namespace chancery::blob
