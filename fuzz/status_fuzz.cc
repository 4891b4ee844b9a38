// libFuzzer target for edXML status notices from other agencies
// (src/lib/edxml): ReadStatus, VerifySignature against the fixed fuzz CA
// (fuzz/keys), and WriteStatus + ReadStatus of what was read, with the
// invariants of edxml_fuzz.h. Seeds: fuzz/corpus/status, written by this
// binary when run with CHANCERY_WRITE_SEEDS=<dir>.
#include <string>
#include <string_view>

#include "edxml_fuzz.h"

namespace {

using namespace chancery;
using namespace chancery::edxml;

void WriteSeeds(const std::string& dir) {
  for (const char* code : {"01", "02", "03", "04", "05", "06", "13", "15", "16"}) {
    StatusNotice s;
    s.response_for = {"000.00.01.H08", "15/QĐ-BQP", Date{std::chrono::days{20000}},
                      "000.00.01.H08,2024/10/04,15/QĐ-BQP"};
    s.from = {"000.00.02.H08", "Cục Văn thư", "Bộ Quốc phòng", "Hà Nội", "a@b.vn", "1", "", ""};
    s.status_code = code;
    s.description = "Trạng thái " + std::string(code);
    s.timestamp = Timestamp{} + std::chrono::seconds{1730000000};
    s.staff = {"Phòng Hành chính", "Nguyễn Văn A", "0912", "a@b.vn"};
    if (s.status_code == "01") s.received_sha256 = std::string(64, 'a');
    auto xml = WriteStatus(s, fuzz::Edxml().signer);
    if (!xml.ok()) fuzz::Fail("writing a seed", &xml.error());
    fuzz::WriteFile(dir + "/status-" + code, *xml);
  }
}

}  // namespace

CHANCERY_EDXML_FUZZER(
    WriteSeeds, ReadStatus,
    [](const StatusNotice& s, const pki::Signer& signer) { return WriteStatus(s, signer); },
    [](const ParsedStatus& parsed) -> const StatusNotice& { return parsed.status; })
