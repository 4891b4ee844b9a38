#include "lib/export/export.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace chancery::exporting {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "chancery-export-test-XXXXXX").string();
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

Table RegisterBook() {
  Table t;
  t.title = "Sổ đăng ký văn bản đến [2026]: Sở Nội vụ / Hà Nội";
  t.headers = {"Số đến", "Ngày đến", "Số, ký hiệu", "Trích yếu nội dung", "Nơi gửi"};
  t.rows = {
      {"1", "05/01/2026", "12/QĐ-UBND", "Quyết định về việc giao chỉ tiêu biên chế năm 2026",
       "UBND thành phố Hà Nội"},
      {"2", "06/01/2026", "45/CV-SNV", "Công văn \"khẩn\" về việc rà soát,\nbáo cáo số liệu",
       "Sở Tài chính"},
      {"3", "07/01/2026", "", "=HYPERLINK(\"http://evil\")", "Bộ Nội vụ"},
  };
  return t;
}

TEST(CsvTest, QuotesCommasQuotesAndNewlines) {
  Table t;
  t.headers = {"plain", "with,comma", "with \"quote\"", "two\nlines", "cr\rhere", ""};
  t.rows = {{"a", "b,c", "\"", "x\r\ny", "", "end"}};
  EXPECT_EQ(ToCsv(t), std::string(kBom) +
                          "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\","
                          "\"cr\rhere\",\r\n"
                          "a,\"b,c\",\"\"\"\",\"x\r\ny\",,end\r\n");
}

TEST(CsvTest, EmptyTableIsJustBomAndEmptyHeaderLine) {
  EXPECT_EQ(ToCsv(Table{}), std::string(kBom) + "\r\n");
}

TEST(CsvTest, VietnameseTextPassesThroughUnchanged) {
  const std::string csv = ToCsv(RegisterBook());
  ASSERT_EQ(csv.substr(0, 3), kBom);
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") - 3),
            "Số đến,Ngày đến,\"Số, ký hiệu\",Trích yếu nội dung,Nơi gửi");
  EXPECT_NE(csv.find("1,05/01/2026,12/QĐ-UBND,Quyết định về việc giao chỉ tiêu biên chế năm "
                     "2026,UBND thành phố Hà Nội\r\n"),
            std::string::npos);
  EXPECT_NE(csv.find("\"Công văn \"\"khẩn\"\" về việc rà soát,\nbáo cáo số liệu\""),
            std::string::npos);
}

TEST(CsvTest, FormulaLikeCellsAreDefused) {
  Table t;
  t.headers = {"x"};
  t.rows = {{"=1+1"}, {"@SUM(A1)"}, {"-1+1"}, {"+cmd|' /C calc'!A0"}, {"-5"}, {"+84912345678"},
            {"3.5"},  {"-"},        {"a=b"}};
  EXPECT_EQ(ToCsv(t), std::string(kBom) +
                          "x\r\n'=1+1\r\n'@SUM(A1)\r\n'-1+1\r\n'+cmd|' /C calc'!A0\r\n-5\r\n"
                          "+84912345678\r\n3.5\r\n'-\r\na=b\r\n");
}

// Runs `unzip -p archive member`; empty when unzip is missing or fails.
bool HaveUnzip() { return ::system("command -v unzip >/dev/null 2>&1") == 0; }

std::string Unzip(const std::string& archive, const std::string& member) {
  const std::string cmd = "unzip -p '" + archive + "' '" + member + "' 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST(XlsxTest, WorkbookHoldsTheTableAndLeavesNoTemporaryFile) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  Result<std::string> xlsx = ToXlsx(RegisterBook(), dir.path());
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
  ASSERT_GT(xlsx->size(), 4u);
  EXPECT_EQ(xlsx->substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_TRUE(fs::is_empty(dir.path()));

  if (!HaveUnzip()) GTEST_SKIP() << "unzip not installed; contents not checked";
  TempDir out;
  const std::string file = out.path() + "/book.xlsx";
  std::ofstream(file, std::ios::binary) << *xlsx;

  const std::string strings = Unzip(file, "xl/sharedStrings.xml");
  EXPECT_NE(strings.find("Trích yếu nội dung"), std::string::npos) << strings;
  EXPECT_NE(strings.find("Quyết định về việc giao chỉ tiêu biên chế năm 2026"), std::string::npos);
  EXPECT_NE(strings.find("=HYPERLINK("), std::string::npos);  // stored as text...
  const std::string sheet = Unzip(file, "xl/worksheets/sheet1.xml");
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);  // ...never as a formula
  EXPECT_NE(sheet.find("<cols>"), std::string::npos);
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:E4\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<pane ySplit=\"1\""), std::string::npos);
  EXPECT_NE(Unzip(file, "xl/styles.xml").find("<b/>"), std::string::npos);

  // []:*?/\ removed, then cut to 31 characters (not bytes).
  const std::string workbook = Unzip(file, "xl/workbook.xml");
  EXPECT_NE(workbook.find("<sheet name=\"Sổ đăng ký văn bản đến 2026 Sở \""), std::string::npos)
      << workbook;
}

// Numbers and dates are real numbers and dates in the sheet (a date is its
// serial day with a dd/mm/yyyy format), not text; CSV writes them as read.
TEST(XlsxTest, NumbersAndDatesAreTypedCells) {
  const Date day{std::chrono::year{2026} / 12 / 5};
  Table t{"Sổ", {"Số đến", "Ngày đến", "Trích yếu"}, {{std::int64_t{17}, day, "12/QĐ-BQP"}}};
  EXPECT_NE(ToCsv(t).find("17,05/12/2026,12/QĐ-BQP\r\n"), std::string::npos) << ToCsv(t);
  TempDir dir;
  Result<std::string> xlsx = ToXlsx(t, dir.path());
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
  if (!HaveUnzip()) GTEST_SKIP() << "unzip not installed; contents not checked";
  const std::string file = dir.path() + "/typed.xlsx";
  std::ofstream(file, std::ios::binary) << *xlsx;
  const std::string sheet = Unzip(file, "xl/worksheets/sheet1.xml");
  // Excel's serial day: days since 1899-12-30.
  const auto serial = (day - Date{std::chrono::year{1899} / 12 / 30}).count();
  EXPECT_NE(sheet.find("<c r=\"A2\" s=\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>17</v>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<v>" + std::to_string(serial) + "</v>"), std::string::npos) << sheet;
  EXPECT_EQ(sheet.find("<c r=\"A2\" s=\"1\" t=\"s\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("t=\"s\""), std::string::npos);  // the text cell stays text
  EXPECT_NE(Unzip(file, "xl/styles.xml").find("dd/mm/yyyy"), std::string::npos);
}

TEST(XlsxTest, OddTitlesStillMakeAValidSheetName) {
  TempDir dir;
  for (const std::string title : {"", "[]:*?/\\", "'''", "'Báo cáo'"}) {
    Table t{title, {"A"}, {{"1"}}};
    Result<std::string> xlsx = ToXlsx(t, dir.path());
    ASSERT_TRUE(xlsx.ok()) << title << ": " << xlsx.error().message;
    if (!HaveUnzip()) continue;
    const std::string file = dir.path() + "/t.xlsx";
    std::ofstream(file, std::ios::binary) << *xlsx;
    const std::string workbook = Unzip(file, "xl/workbook.xml");
    const std::string want = title == "'Báo cáo'" ? "Báo cáo" : "Sheet1";
    EXPECT_NE(workbook.find("<sheet name=\"" + want + "\""), std::string::npos) << workbook;
    fs::remove(file);
  }
}

TEST(XlsxTest, TooManyColumnsIsRejected) {
  TempDir dir;
  Table t{"wide", std::vector<std::string>(16385, "c"), {}};
  Result<std::string> xlsx = ToXlsx(t, dir.path());
  ASSERT_FALSE(xlsx.ok());
  EXPECT_EQ(xlsx.error().code, ErrorCode::kPayloadTooLarge);
}

TEST(XlsxTest, MissingTempDirIsUnavailable) {
  TempDir dir;
  Result<std::string> xlsx = ToXlsx(RegisterBook(), dir.path() + "/does-not-exist");
  ASSERT_FALSE(xlsx.ok());
  EXPECT_EQ(xlsx.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace chancery::exporting
