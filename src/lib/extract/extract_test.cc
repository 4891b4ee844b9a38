#include "lib/extract/extract.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "lib/text/tokens.h"

namespace chancery::extract {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(CHANCERY_EXTRACT_TESTDATA) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A ZIP with the given entries, made with libzip as Word would store it.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  const fs::path path =
      fs::temp_directory_path() / ("chancery-extract-" + std::to_string(::getpid()) + ".zip");
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, bytes] : entries) {
    zip_source_t* s = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  std::ifstream in(path, std::ios::binary);
  std::string out{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  fs::remove(path);
  return out;
}

std::string Docx(const std::string& body, const std::string& prolog = "") {
  return Zip({{"[Content_Types].xml", "<Types/>"},
              {"word/document.xml",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + prolog +
                   "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
                   "2006/main\"><w:body>" +
                   body + "</w:body></w:document>"}});
}

std::string CodeOf(const Result<std::string>& r) {
  return r.ok() || r.error().fields.empty() ? "" : r.error().fields[0].code;
}

TEST(ExtractTest, KnowsAFileByItsBytesNotItsName) {
  EXPECT_EQ(FormatOf(ReadFile("nghi-dinh.pdf")), Format::kPdf);
  EXPECT_EQ(FormatOf(Docx("<w:p/>")), Format::kDocx);
  EXPECT_EQ(FormatOf("Điều 1. Phạm vi điều chỉnh"), Format::kText);
  EXPECT_EQ(FormatOf(Zip({{"a.txt", "x"}})), Format::kUnknown);
  EXPECT_EQ(FormatOf(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), Format::kUnknown);
  EXPECT_EQ(FormatOf("caf\xc3"), Format::kUnknown);  // cut UTF-8
  EXPECT_EQ(CodeOf(Text(std::string("\x89PNG\r\n\x1a\n\0\0", 10))), "file_format");
}

TEST(ExtractTest, ReadsAPdfsTextLayer) {
  auto text = Text(ReadFile("nghi-dinh.pdf"));
  ASSERT_TRUE(text.ok()) << text.error().message;
  const std::string nfc = text::Nfc(*text);
  EXPECT_NE(nfc.find("Nghị định này quy định về văn bản điện tử"), std::string::npos) << nfc;
  EXPECT_NE(nfc.find("15/2026/NĐ-CP"), std::string::npos) << nfc;
}

TEST(ExtractTest, RefusesPdfsItCannotRead) {
  EXPECT_EQ(CodeOf(Text(ReadFile("nghi-dinh-password.pdf"))), "file_encrypted");
  EXPECT_EQ(CodeOf(Text("%PDF-1.7\n1 0 obj << /Type /Catalog")), "file_unreadable");
}

TEST(ExtractTest, ReadsADocxsParagraphs) {
  auto text = Docx(
      "<w:p><w:r><w:t>Điều 1.</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">Phạm vi "
      "</w:t></w:r><w:r><w:t>điều chỉnh</w:t></w:r></w:p>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Ô bảng</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
      "<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>dòng hai</w:t></w:r></w:p>");
  auto out = Text(text);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, "Điều 1.\tPhạm vi điều chỉnh\nÔ bảng\nDòng một\ndòng hai\n");
}

TEST(ExtractTest, ADocxWithADoctypeIsRefused) {
  // An external entity (XXE) and a billion laughs: Word writes no DOCTYPE,
  // so one is refused before any entity could be read or grown.
  const std::string prolog =
      "<!DOCTYPE w:document [<!ENTITY secret SYSTEM \"file:///etc/passwd\">"
      "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>";
  auto out = Text(Docx("<w:p><w:r><w:t>x&secret;&c;y</w:t></w:r></w:p>", prolog));
  EXPECT_EQ(CodeOf(out), "file_unreadable");
  EXPECT_EQ(CodeOf(Text(Docx("<w:p><w:r><w:t>x&amp;y</w:t></w:r></w:p>", "<!DOCTYPE w:document>"))),
            "file_unreadable");
  EXPECT_EQ(*Text(Docx("<w:p><w:r><w:t>x&amp;y</w:t></w:r></w:p>")), "x&y\n");
}

TEST(ExtractTest, ADocxThatInflatesPastTheLimitIsRefused) {
  const std::string spaces(3u << 20, ' ');  // 3 MiB of XML that zips to a few KiB
  const std::string bomb = Docx("<w:p><w:r><w:t>a</w:t></w:r></w:p>" + spaces);
  EXPECT_LT(bomb.size(), 64u << 10);
  Limits limits;
  limits.max_inflated = 1u << 20;
  EXPECT_EQ(CodeOf(Text(bomb, limits)), "file_too_large");
  EXPECT_EQ(CodeOf(Text(Docx("<w:p>", ""))), "file_unreadable");  // not XML
  std::string cut = Docx("<w:p><w:r><w:t>a</w:t></w:r></w:p>");
  cut.resize(cut.size() / 2);
  EXPECT_FALSE(Text(cut).ok());
}

TEST(ExtractTest, TextIsCutAtACharacterWithinTheLimit) {
  Limits limits;
  limits.max_text = 4;
  auto out = Text("ĐĐĐ", limits);  // two bytes each
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "ĐĐ");
  limits.max_text = 5;
  EXPECT_EQ(*Text("ĐĐĐ", limits), "ĐĐ");
}

// This test binary is its own child: main() below runs RunChild when it is
// started as `extract_test extract-text`, as the node binary does.
TEST(ExtractTest, TheChildReadsWhatThisProcessWouldAndPassesRefusalsOn) {
  const std::string pdf = ReadFile("nghi-dinh.pdf");
  auto here = Text(pdf);
  auto there = TextInChild(SelfExe(), pdf);
  ASSERT_TRUE(there.ok()) << there.error().message;
  EXPECT_EQ(*there, *here);
  EXPECT_EQ(CodeOf(TextInChild(SelfExe(), ReadFile("nghi-dinh-password.pdf"))), "file_encrypted");
  EXPECT_EQ(*TextInChild(SelfExe(), ""), "");
}

TEST(ExtractTest, AChildPastItsTimeIsKilledAndTheFileIsUnreadable) {
  ChildLimits limits;
  limits.wall = std::chrono::seconds(0);
  EXPECT_EQ(CodeOf(TextInChild(SelfExe(), ReadFile("nghi-dinh.pdf"), limits)), "file_unreadable");
  auto missing = TextInChild("/nonexistent/chancery", "x");  // not the file's fault
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInternal);
}

// The child gets its three streams and no other file of this process's: not a
// socket opened as Asio opens the node's listeners (without close-on-exec).
TEST(ExtractTest, TheChildInheritsNoneOfTheNodesFiles) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  ASSERT_EQ(::dup2(sock, 200), 200);
  const fs::path script =
      fs::temp_directory_path() / ("chancery-extract-fds-" + std::to_string(::getpid()));
  std::ofstream(script) << "#!/bin/sh\n"
                           "if [ -e /proc/$$/fd/200 ]; then echo inherited; else echo closed; fi\n";
  fs::permissions(script, fs::perms::owner_all);
  auto seen = TextInChild(script.string(), "x");
  ::close(200);
  ::close(sock);
  fs::remove(script);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  EXPECT_EQ(*seen, "closed\n");
}

// A node that stops ends the read in progress: not the file's fault either.
TEST(ExtractTest, AReadIsCancelledWhenTheNodeStops) {
  ChildLimits limits;
  limits.cancelled = [] { return true; };
  auto stopped = TextInChild(SelfExe(), ReadFile("nghi-dinh.pdf"), limits);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::kUnavailable);
  limits.cancelled = [] { return false; };
  EXPECT_TRUE(TextInChild(SelfExe(), ReadFile("nghi-dinh.pdf"), limits).ok());
}

}  // namespace
}  // namespace chancery::extract

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "extract-text") return chancery::extract::RunChild();
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
