#include "lib/blob/blob_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace chancery::blob {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxBytes = 1024;
// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr std::string_view kAbcSha =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// The smallest file libmagic calls a PDF is its header; this one is a
// complete, valid (empty-catalogue) document anyway.
constexpr std::string_view kTinyPdf =
    "%PDF-1.4\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    "trailer<</Root 1 0 R>>\n"
    "%%EOF\n";

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "chancery-blob-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> FilesUnder(const std::string& root) {
  std::vector<std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).string());
  }
  return out;
}

// The same suite runs on every implementation.
struct Backend {
  std::string name;
  std::function<std::unique_ptr<BlobStore>(const std::string& dir)> make;
};

class BlobStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    store_ = GetParam().make(dir_.path() + "/blobs");
  }
  TempDir dir_;
  std::unique_ptr<BlobStore> store_;
};

TEST_P(BlobStoreTest, PutStatRead) {
  Result<BlobInfo> put = store_->Put("abc", std::nullopt);
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->sha256, kAbcSha);
  EXPECT_EQ(put->size, 3u);
  EXPECT_EQ(put->content_type, "text/plain");

  Result<BlobInfo> stat = store_->Stat(kAbcSha);
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->sha256, kAbcSha);
  EXPECT_EQ(stat->size, 3u);
  EXPECT_EQ(stat->content_type, "text/plain");

  Result<std::string> all = store_->Read(kAbcSha, 0, 3);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, "abc");
}

TEST_P(BlobStoreTest, RangeReadsAreClamped) {
  const std::string bytes = "0123456789";
  Result<BlobInfo> put = store_->Put(bytes, Sha256Hex(bytes));
  ASSERT_TRUE(put.ok());
  const std::string& sha = put->sha256;
  EXPECT_EQ(*store_->Read(sha, 2, 3), "234");
  EXPECT_EQ(*store_->Read(sha, 7, 100), "789");
  EXPECT_EQ(*store_->Read(sha, 0, UINT64_MAX), bytes);
  EXPECT_EQ(*store_->Read(sha, 9, 1), "9");
  EXPECT_EQ(*store_->Read(sha, 10, 5), "");
  EXPECT_EQ(*store_->Read(sha, UINT64_MAX, UINT64_MAX), "");
  EXPECT_EQ(*store_->Read(sha, 4, 0), "");
}

TEST_P(BlobStoreTest, HashMismatchIsRejected) {
  Result<BlobInfo> put = store_->Put("abc", Sha256Hex("abd"));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kHashMismatch);
  EXPECT_EQ(store_->Stat(kAbcSha).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Stat(Sha256Hex("abd")).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(FilesUnder(dir_.path()).empty());
}

TEST_P(BlobStoreTest, SizeLimit) {
  const std::string at_limit(kMaxBytes, 'x');
  EXPECT_TRUE(store_->Put(at_limit, std::nullopt).ok());
  Result<BlobInfo> over = store_->Put(at_limit + "x", std::nullopt);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(store_->Stat(Sha256Hex(at_limit + "x")).error().code, ErrorCode::kNotFound);
}

TEST_P(BlobStoreTest, PutIsIdempotent) {
  Result<BlobInfo> first = store_->Put(kTinyPdf, std::nullopt);
  ASSERT_TRUE(first.ok());
  Result<BlobInfo> again = store_->Put(kTinyPdf, first->sha256);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sha256, first->sha256);
  EXPECT_EQ(again->size, first->size);
  EXPECT_EQ(again->content_type, first->content_type);
  EXPECT_EQ(*store_->Read(first->sha256, 0, 1 << 20), kTinyPdf);
}

TEST_P(BlobStoreTest, ContentTypeIsSniffedFromBytes) {
  Result<BlobInfo> pdf = store_->Put(kTinyPdf, std::nullopt);
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_EQ(store_->Stat(pdf->sha256)->content_type, "application/pdf");

  // A PNG signature and IHDR chunk header.
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0", 29);
  EXPECT_EQ(store_->Put(png, std::nullopt)->content_type, "image/png");
  // Bytes that are nothing in particular.
  const std::string noise("\x01\x02\x03\xfe\xff\x00\x13\x37", 8);
  EXPECT_EQ(store_->Put(noise, std::nullopt)->content_type, "application/octet-stream");
}

TEST_P(BlobStoreTest, BadNamesAreRejectedBeforeAnyPath) {
  const std::string upper = [] {
    std::string s(kAbcSha);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }();
  const std::string bad[] = {
      "",
      "../../../../etc/passwd",
      "ba/../../../../../../../../../../../../../../../../../../../../../../etc/passwd",
      upper,
      std::string(kAbcSha.substr(1)),
      std::string(kAbcSha) + "0",
      std::string(kAbcSha.substr(0, 63)) + "/",
      std::string(kAbcSha.substr(0, 63)) + "g",
      std::string(kAbcSha.substr(0, 63)) + std::string(1, '\0'),
  };
  ASSERT_TRUE(store_->Put("abc", std::nullopt).ok());
  for (const std::string& name : bad) {
    EXPECT_EQ(store_->Stat(name).error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_EQ(store_->Read(name, 0, 10).error().code, ErrorCode::kInvalidArgument) << name;
    EXPECT_EQ(store_->FilePath(name).error().code, ErrorCode::kInvalidArgument) << name;
    Result<BlobInfo> put = store_->Put("abc", name);
    ASSERT_FALSE(put.ok()) << name;
    EXPECT_EQ(put.error().code, ErrorCode::kInvalidArgument) << name;
  }
}

TEST_P(BlobStoreTest, UnknownBlobIsNotFound) {
  EXPECT_EQ(store_->Stat(kAbcSha).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->Read(kAbcSha, 0, 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FilePath(kAbcSha).error().code, ErrorCode::kNotFound);
}

TEST_P(BlobStoreTest, ConcurrentPutsOfTheSameBytes) {
  const std::string bytes(900, 'q');
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) ok[t] += store_->Put(bytes, std::nullopt).ok() ? 1 : 0;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int n : ok) EXPECT_EQ(n, 20);
  EXPECT_EQ(*store_->Read(Sha256Hex(bytes), 0, 1000), bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Backends, BlobStoreTest,
    ::testing::Values(Backend{"File",
                              [](const std::string& dir) -> std::unique_ptr<BlobStore> {
                                return std::make_unique<FileBlobStore>(dir, kMaxBytes);
                              }},
                      Backend{"Memory",
                              [](const std::string&) -> std::unique_ptr<BlobStore> {
                                return std::make_unique<MemoryBlobStore>(kMaxBytes);
                              }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// FileBlobStore specifics

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FileBlobStoreTest, LayoutIsTwoHexDigitFolders) {
  TempDir dir;
  FileBlobStore store(dir.path(), kMaxBytes);
  EXPECT_TRUE(store.sniffer_ok());
  ASSERT_TRUE(store.Put("abc", std::string(kAbcSha)).ok());
  // Only the blob itself: no temporary file left behind.
  EXPECT_EQ(FilesUnder(dir.path()),
            std::vector<std::string>{"ba/" + std::string(kAbcSha.substr(2))});
  Result<std::string> path = store.FilePath(kAbcSha);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, dir.path() + "/ba/" + std::string(kAbcSha.substr(2)));
  EXPECT_EQ(ReadFile(*path), "abc");
}

TEST(FileBlobStoreTest, BlobsSurviveANewStoreOnTheSameFolder) {
  TempDir dir;
  std::string sha;
  {
    FileBlobStore store(dir.path(), kMaxBytes);
    Result<BlobInfo> put = store.Put(kTinyPdf, std::nullopt);
    ASSERT_TRUE(put.ok());
    sha = put->sha256;
  }
  FileBlobStore reopened(dir.path(), kMaxBytes);
  Result<BlobInfo> stat = reopened.Stat(sha);
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->size, kTinyPdf.size());
  EXPECT_EQ(stat->content_type, "application/pdf");
}

TEST(FileBlobStoreTest, ATruncatedFileIsReplacedOnPut) {
  TempDir dir;
  FileBlobStore store(dir.path(), kMaxBytes);
  ASSERT_TRUE(store.Put("abc", std::nullopt).ok());
  const std::string path = *store.FilePath(kAbcSha);
  fs::resize_file(path, 1);
  ASSERT_TRUE(store.Put("abc", std::nullopt).ok());
  EXPECT_EQ(ReadFile(path), "abc");
  EXPECT_EQ(FilesUnder(dir.path()).size(), 1u);
}

TEST(FileBlobStoreTest, UnwritableRootIsUnavailable) {
  TempDir dir;
  // A regular file where the root folder should be.
  const std::string root = dir.path() + "/not-a-folder";
  std::ofstream(root) << "x";
  FileBlobStore store(root, kMaxBytes);
  Result<BlobInfo> put = store.Put("abc", std::nullopt);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
}

TEST(MemoryBlobStoreTest, HasNoFilesAndCountsBlobs) {
  MemoryBlobStore store;
  ASSERT_TRUE(store.Put("abc", std::nullopt).ok());
  ASSERT_TRUE(store.Put("abc", std::nullopt).ok());
  EXPECT_EQ(store.count(), 1u);
  EXPECT_EQ(store.FilePath(kAbcSha).error().code, ErrorCode::kNotFound);
}

TEST(BlobNamesTest, Sha256HexAndValidation) {
  EXPECT_EQ(Sha256Hex("abc"), kAbcSha);
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(IsSha256Hex(kAbcSha));
  EXPECT_FALSE(IsSha256Hex(kAbcSha.substr(1)));
  EXPECT_FALSE(IsSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
}

}  // namespace
}  // namespace chancery::blob
