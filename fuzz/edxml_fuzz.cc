// libFuzzer target for edXML packages from other agencies (src/lib/edxml):
// ReadPackage, VerifySignature against the fixed fuzz CA (fuzz/keys), and
// WritePackage + ReadPackage of what was read, with the invariants of
// edxml_fuzz.h. Seeds: fuzz/corpus/edxml, written by this binary when run
// with CHANCERY_WRITE_SEEDS=<dir>.
#include "edxml_fuzz.h"

#include <string>
#include <string_view>

namespace {

using namespace chancery;
using namespace chancery::edxml;

Package Sample(int attachments) {
  Package p;
  p.from = {"000.00.01.H08", "Văn phòng", "Bộ Quốc phòng", "Hà Nội", "a@b.vn", "1", "2",
            "https://x.vn"};
  p.to = {{"000.00.02.H08", "Cục Văn thư", "", "", "", "", "", ""}};
  p.document_id = DocumentIdOf("000.00.01.H08", Date{std::chrono::days{20000}}, "15", "QĐ-BQP");
  p.code_number = "15";
  p.code_notation = "QĐ-BQP";
  p.promulgation_date = Date{std::chrono::days{20000}};
  p.type_name = "Quyết định";
  p.subject = "Về việc <thử> & kiểm tra";
  p.due_date = Date{std::chrono::days{20010}};
  p.to_places = {"Như trên"};
  p.appendixes = {"Phụ lục"};
  p.response_for = {
      {"000.00.02.H08", "7/CV", Date{std::chrono::days{19990}}, "000.00.02.H08,2024/09/25,7/CV"}};
  p.traces = {{"000.00.01.H08", Timestamp{} + std::chrono::seconds{1730000000}}};
  p.business = {3, "Thay thế", true, "000.00.01.H08,2024/10/01,14/QĐ-BQP"};
  p.classification = "mat";
  for (int i = 0; i < attachments; ++i) {
    p.attachments.push_back({"a" + std::to_string(i) + "@x", "tệp " + std::to_string(i) + ".pdf",
                             "application/pdf", "mô tả",
                             "%PDF-1.4\r\n" + std::string(40 + i, static_cast<char>('A' + i))});
  }
  return p;
}

void WriteSeeds(const std::string& dir) {
  int n = 0;
  for (const int attachments : {0, 1, 3}) {
    for (const bool binary : {false, true}) {
      auto wire = WritePackage(Sample(attachments), fuzz::Edxml().signer, {.binary_parts = binary});
      if (!wire.ok()) fuzz::Fail("writing a seed", &wire.error());
      fuzz::WriteFile(dir + "/package-" + std::to_string(n++), *wire);
      if (attachments == 0 && !binary) {  // the bare envelope too
        const std::size_t start = wire->find("<?xml");
        const std::size_t end = wire->find("\r\n--", start);
        fuzz::WriteFile(dir + "/bare-envelope", wire->substr(start, end - start));
      }
    }
  }
}

}  // namespace

CHANCERY_EDXML_FUZZER(
    WriteSeeds, ReadPackage,
    [](const Package& p, const pki::Signer& signer) { return WritePackage(p, signer); },
    [](const ParsedPackage& parsed) -> const Package& { return parsed.package; })
