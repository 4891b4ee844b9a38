// Exchange between agencies, end to end (issue #5; docs/performance.md,
// "Exchange between agencies"). bench/exchange.sh drives it:
//
//   chancery-bench-exchange keys --out DIR --agency CODE
//     A throw-away CA and organisation certificate (organizationIdentifier =
//     CODE) with its key: DIR/ca.pem, cert.pem, key.pem, and DIR/peer.json
//     for the receiver's `chancery exchange add-peer`.
//   chancery-bench-exchange run --port P --pin SHA256 --ca FILE --keys DIR --to CODE
//                               [--docs N] [--concurrency C] [--pdf-kb K]
//     The sending node's work, in process: C threads, each with its own
//     keep-alive mutual-TLS client pinned to the receiver's certificate. Per
//     document: build an edXML package (unique number, one K KiB PDF), sign it
//     (WritePackage, binary parts, one Signer opened once and shared), POST it
//     to /exchange/v1/packages, check the receipt (ReadStatus + VerifySignature
//     against the receiver's CA, status 01, received_sha256 = SHA-256 of the
//     bytes sent). Latency: from building the package to its receipt checked.
//     One line "exchange docs=... docs_per_s=... p50_ms=... p99_ms=..." with
//     the sender's signatures and verifications per second, its CPU time and
//     its mean time per stage; errors make the exit code non-zero.
//   chancery-bench-exchange stages --keys DIR --to CODE [--pdf-kb K] [--seconds S]
//     Each step of one document's path, alone, single thread, for S seconds:
//     "<name> ops_per_s=<x> ms_per_op=<y> n=<count>" (see Stages below).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/digest.h"
#include "lib/edxml/edxml.h"
#include "lib/http/client.h"
#include "lib/pki/pades.h"
#include "lib/pki/pki.h"

using namespace chancery;
using SteadyClock = std::chrono::steady_clock;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

// The value, or the error (with its field messages) on stderr and exit 1.
template <class T>
T Must(Result<T> r, const char* what) {
  if (r.ok()) return std::move(*r);
  std::string text = std::string(what) + ": " + r.error().message;
  for (const auto& f : r.error().fields) text += " [" + f.field + ": " + f.message + "]";
  Fail(text);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read " + path.string());
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// ---- keys

int Keys(const std::string& out, const std::string& agency) {
  const Timestamp now = Now();
  const std::string name = "Bộ gửi (bench)";
  const std::string ca_key = Must(pki::GenerateKey(""), "CA key");
  const auto ca_ref = pki::KeyRef::Pem(ca_key);
  const std::string ca_pem =
      Must(pki::Issue({"", ca_ref}, {.common_name = name + " CA"},
                      Must(pki::PublicKeyPem(ca_ref), "CA public key"), pki::Profile::kRootCa,
                      now - std::chrono::hours(1), 30),
           "CA certificate")
          .certificate_pem;
  const std::string key = Must(pki::GenerateKey(""), "key");
  const std::string cert =
      Must(pki::Issue({ca_pem, ca_ref},
                      {.common_name = name, .organization = name, .organization_id = agency},
                      Must(pki::PublicKeyPem(pki::KeyRef::Pem(key)), "public key"),
                      pki::Profile::kOrganization, now - std::chrono::hours(1), 30),
           "certificate")
          .certificate_pem;
  fs::create_directories(out);
  std::ofstream(fs::path(out) / "ca.pem") << ca_pem;
  std::ofstream(fs::path(out) / "cert.pem") << cert;
  std::ofstream(fs::path(out) / "key.pem") << key;
  std::ofstream(fs::path(out) / "peer.json")
      << json::serialize(json::object{{"agency_code", agency},
                                      {"name", name},
                                      {"endpoint", "https://127.0.0.1:1"},
                                      {"certificate_pem", cert},
                                      {"ca_pem", ca_pem},
                                      {"max_classification", "normal"}});
  return 0;
}

// ---- one document

struct Sender {
  std::string from, to;
  std::string cert_pem, key_pem, ca_pem;
  std::string pdf;
  std::size_t number_at = 0;  // where each document's number goes in the PDF (kNumberWidth digits)
};

constexpr std::size_t kNumberWidth = 16;

Sender LoadSender(const std::string& keys, const std::string& from, const std::string& to,
                  int pdf_kb) {
  Sender s;
  s.from = from;
  s.to = to;
  s.cert_pem = ReadFile(fs::path(keys) / "cert.pem");
  s.key_pem = ReadFile(fs::path(keys) / "key.pem");
  s.ca_pem = ReadFile(fs::path(keys) / "ca.pem");
  if (s.from.empty())
    s.from = Must(pki::DescribeCertificate(s.cert_pem), "cert.pem").organization_id;
  // A many-page text PDF of at least pdf_kb KiB: 45 lines of prose a page;
  // page 1 carries the document's number, so that every PDF differs (the
  // receiver stores files by content: equal PDFs would be written once).
  const std::string marker = "So van ban: ";
  std::string page;
  for (int line = 0; line < 45; ++line) {
    page += "Dieu " + std::to_string(line + 1) +
            ". Cac co quan, don vi thuc hien nghiem tuc noi dung van ban nay theo quy dinh.\n";
  }
  std::vector<std::string> pages = {marker + std::string(kNumberWidth, '0') + "\n" + page};
  while ((s.pdf = pki::SimplePdf(pages)).size() < static_cast<std::size_t>(pdf_kb) * 1024) {
    pages.push_back("Trang " + std::to_string(pages.size() + 1) + "\n" + page);
  }
  s.number_at = s.pdf.find(marker) + marker.size();
  return s;
}

edxml::Package MakePackage(const Sender& s, const std::string& number) {
  edxml::Package p;
  p.from = {.id = s.from, .name = "Bộ gửi (bench)"};
  p.to = {{.id = s.to, .name = "Bộ nhận"}};
  p.code_number = number;
  p.code_notation = "CV-BENCH";
  p.promulgation_date = Date{std::chrono::year{2026} / 11 / 23};
  p.document_id = edxml::DocumentIdOf(s.from, p.promulgation_date, number, p.code_notation);
  p.subject = "Công văn đo hiệu năng " + number;
  p.type_name = "Công văn";
  p.signer_full_name = "Nguyễn Văn A";
  p.signer_position = "Thứ trưởng";
  p.traces = {{s.from, Now()}};
  p.attachments = {{.content_id = "vb1@bench",
                    .name = "cong-van-" + number + ".pdf",
                    .content_type = "application/pdf",
                    .bytes = s.pdf}};
  std::string& pdf = p.attachments[0].bytes;
  const std::string digits = number.substr(0, std::min(number.size(), kNumberWidth));
  pdf.replace(s.number_at + kNumberWidth - digits.size(), digits.size(), digits);
  return p;
}

// What a receipt must be; "" when it is.
std::string CheckReceipt(const std::string& body, const std::string& sent,
                         const std::string& ca_pem) {
  auto parsed = edxml::ReadStatus(body);
  if (!parsed.ok()) return "receipt unreadable: " + parsed.error().message;
  auto check = edxml::VerifySignature(*parsed, {ca_pem}, {}, Now());
  if (!check.ok()) return "receipt check: " + check.error().message;
  if (!check->ok) return "receipt signature: " + check->reason_code + " " + check->message;
  if (parsed->status.status_code != edxml::kStatusArrived)
    return "receipt status " + parsed->status.status_code;
  if (parsed->status.received_sha256 != Sha256Hex(sent))
    return "receipt digest differs from the bytes sent";
  return "";
}

// ---- run

struct RunOptions {
  std::uint16_t port = 0;
  std::string pin, ca_file, keys, from, to;
  int docs = 2000, concurrency = 8, pdf_kb = 200;
};

// Per thread: latencies and time in each stage of the sender.
struct ThreadStats {
  std::vector<double> latency_ms;
  double build_sign_ms = 0, post_ms = 0, verify_ms = 0;
  long errors = 0;
  std::string first_error;
};

int Run(const RunOptions& o) {
  const Sender s = LoadSender(o.keys, o.from, o.to, o.pdf_kb);
  const std::string receiver_ca = ReadFile(o.ca_file);
  const pki::Signer signer =
      Must(pki::Signer::Open(s.cert_pem, pki::KeyRef::Pem(s.key_pem), {s.ca_pem}), "signer");
  http::TlsOptions tls;
  tls.certificate_chain_pem = s.cert_pem;
  tls.key = pki::KeyRef::Pem(s.key_pem);
  tls.pinned_peer_sha256 = {o.pin};
  // Numbers unique across runs against the same receiver.
  const long long nonce = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() %
                          100000000LL;
  std::atomic<int> next{0};
  std::vector<ThreadStats> stats(static_cast<std::size_t>(o.concurrency));

  // One document: returns "" or what went wrong.
  auto one = [&](http::HttpClient& client, int index, ThreadStats& st, bool counted) {
    const auto t0 = SteadyClock::now();
    const std::string number = std::to_string(nonce) + std::to_string(100000 + index);
    auto bytes = edxml::WritePackage(MakePackage(s, number), signer, {.binary_parts = true});
    if (!bytes.ok()) return "sign: " + bytes.error().message;
    const auto t1 = SteadyClock::now();
    auto r = client.Send("POST", "/exchange/v1/packages", *bytes,
                         {{"Content-Type", "multipart/related"}});
    if (!r.ok()) return "post: " + r.error().message;
    if (r->status != 200)
      return "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 300);
    const auto t2 = SteadyClock::now();
    std::string bad = CheckReceipt(r->body, *bytes, receiver_ca);
    if (!bad.empty()) return bad;
    const auto t3 = SteadyClock::now();
    if (counted) {
      st.latency_ms.push_back(Ms(t3 - t0));
      st.build_sign_ms += Ms(t1 - t0);
      st.post_ms += Ms(t2 - t1);
      st.verify_ms += Ms(t3 - t2);
    }
    return std::string();
  };

  // Warm-up: one document per thread (TLS handshake, first use of the key).
  std::vector<std::unique_ptr<http::HttpClient>> clients;
  for (int i = 0; i < o.concurrency; ++i) {
    clients.push_back(std::make_unique<http::HttpClient>("127.0.0.1", o.port, tls));
    std::string bad = one(*clients.back(), o.docs + i, stats[0], false);
    if (!bad.empty()) {
      std::fprintf(stderr, "warm-up failed: %s\n", bad.c_str());
      return 1;
    }
  }

  const double cpu0 = CpuSeconds();
  const auto start = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < o.concurrency; ++t) {
    threads.emplace_back([&, t] {
      ThreadStats& st = stats[static_cast<std::size_t>(t)];
      for (int i = next++; i < o.docs; i = next++) {
        std::string bad = one(*clients[static_cast<std::size_t>(t)], i, st, true);
        if (!bad.empty() && st.errors++ == 0) st.first_error = bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  const double cpu = CpuSeconds() - cpu0;

  std::vector<double> all;
  double build_sign = 0, post = 0, verify = 0;
  long errors = 0;
  for (const auto& st : stats) {
    all.insert(all.end(), st.latency_ms.begin(), st.latency_ms.end());
    build_sign += st.build_sign_ms;
    post += st.post_ms;
    verify += st.verify_ms;
    errors += st.errors;
    if (!st.first_error.empty()) std::fprintf(stderr, "error: %s\n", st.first_error.c_str());
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  const double ok = static_cast<double>(all.size());
  const double n = std::max(ok, 1.0);
  std::printf(
      "exchange docs=%zu errors=%ld concurrency=%d pdf_bytes=%zu seconds=%.2f docs_per_s=%.1f "
      "p50_ms=%.1f "
      "p99_ms=%.1f max_ms=%.1f sender_signs_per_s=%.1f sender_verifies_per_s=%.1f "
      "sender_cpu_s=%.2f "
      "sender_cpu_ms_per_doc=%.2f build_sign_ms=%.2f post_ms=%.2f receipt_check_ms=%.2f\n",
      all.size(), errors, o.concurrency, s.pdf.size(), seconds, ok / seconds, pct(0.50), pct(0.99),
      all.empty() ? 0.0 : all.back(), ok / seconds, ok / seconds, cpu, 1000 * cpu / n,
      build_sign / n, post / n, verify / n);
  return errors == 0 ? 0 : 1;
}

// ---- stages

// Runs `op` for `seconds` (at least once), prints its rate.
void Stage(const char* name, double seconds, const std::function<void()>& op) {
  const auto start = SteadyClock::now();
  long n = 0;
  double elapsed = 0;
  do {
    op();
    ++n;
    elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  } while (elapsed < seconds);
  std::printf("%s ops_per_s=%.1f ms_per_op=%.3f n=%ld\n", name, n / elapsed, 1000 * elapsed / n, n);
  std::fflush(stdout);
}

// One document's path, a step at a time, single thread:
//   write_package        MakePackage + WritePackage (sender: build and sign)
//   read_package         ReadPackage of the signed bytes (receiver: parse)
//   verify_package       VerifySignature of it (receiver: XML-DSig, attachment digest, chain)
//   sha256_package       SHA-256 of the package bytes (the receipt's digest; the sender's check)
//   signer_open          Signer::Open of a PEM key and certificate (the receiver, per receipt)
//   write_receipt        Signer::Open + WriteStatus of a receipt (the receiver's SignedReceipt)
//   check_receipt        ReadStatus + VerifySignature + digest (sender)
//   rsa2048_sign         Signer::SignRaw of a short string, key loaded: the RSA operation alone
int Stages(const std::string& keys, const std::string& to, int pdf_kb, double seconds) {
  const Sender s = LoadSender(keys, "", to, pdf_kb);
  const auto key = pki::KeyRef::Pem(s.key_pem);
  const pki::Signer signer = Must(pki::Signer::Open(s.cert_pem, key, {s.ca_pem}), "signer");
  const edxml::WriteOptions binary{.binary_parts = true};
  int counter = 0;
  std::string bytes;
  Stage("write_package", seconds, [&] {
    bytes = Must(edxml::WritePackage(MakePackage(s, std::to_string(++counter)), signer, binary),
                 "write");
  });
  std::printf("package_bytes %zu\n", bytes.size());
  edxml::ParsedPackage parsed;
  Stage("read_package", seconds, [&] { parsed = Must(edxml::ReadPackage(bytes), "read"); });
  Stage("verify_package", seconds, [&] {
    if (!Must(edxml::VerifySignature(parsed, {s.ca_pem}, {}, Now()), "verify").ok)
      Fail("package refused");
  });
  Stage("sha256_package", seconds, [&] { (void)Sha256Hex(bytes); });
  Stage("signer_open", seconds,
        [&] { (void)Must(pki::Signer::Open(s.cert_pem, key, {s.ca_pem}), "open"); });
  edxml::StatusNotice receipt;
  receipt.response_for = {.organ_id = s.from,
                          .code = "1/CV-BENCH",
                          .promulgation_date = parsed.package.promulgation_date,
                          .document_id = parsed.package.document_id};
  receipt.from = {.id = to, .name = "Bộ nhận"};
  receipt.status_code = std::string(edxml::kStatusArrived);
  receipt.timestamp = Now();
  receipt.received_sha256 = Sha256Hex(bytes);
  std::string xml;
  Stage("write_receipt", seconds, [&] {
    auto opened = Must(pki::Signer::Open(s.cert_pem, key, {s.ca_pem}), "open");
    xml = Must(edxml::WriteStatus(receipt, opened), "status");
  });
  Stage("check_receipt", seconds, [&] {
    if (const std::string bad = CheckReceipt(xml, bytes, s.ca_pem); !bad.empty()) Fail(bad);
  });
  Stage("rsa2048_sign", seconds, [&] { (void)Must(signer.SignRaw("SignedInfo"), "sign"); });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Exchange between agencies, end to end (issue #5)"};
  app.require_subcommand(1);
  std::string out, agency, keys, to;
  RunOptions ro;
  double seconds = 3;
  int pdf_kb = 200;
  auto* keys_cmd = app.add_subcommand("keys", "A throw-away sender identity and its peer.json");
  keys_cmd->add_option("--out", out)->required();
  keys_cmd->add_option("--agency", agency)->required();
  auto* run = app.add_subcommand("run", "Send --docs packages to a node's peer listener");
  run->add_option("--port", ro.port)->required();
  run->add_option("--pin", ro.pin, "SHA-256 of the receiver's certificate")->required();
  run->add_option("--ca", ro.ca_file, "the receiver's CA (PEM file)")->required();
  run->add_option("--keys", ro.keys, "folder made by `keys`")->required();
  run->add_option("--to", ro.to, "the receiver's agency code")->required();
  run->add_option("--from", ro.from, "the sender's agency code (default: from cert.pem)");
  run->add_option("--docs", ro.docs);
  run->add_option("--concurrency", ro.concurrency);
  run->add_option("--pdf-kb", ro.pdf_kb);
  auto* stages = app.add_subcommand("stages", "Time each step of one document's path alone");
  stages->add_option("--keys", keys)->required();
  stages->add_option("--to", to)->required();
  stages->add_option("--pdf-kb", pdf_kb);
  stages->add_option("--seconds", seconds);
  CLI11_PARSE(app, argc, argv);
  if (*keys_cmd) return Keys(out, agency);
  if (*run) return Run(ro);
  return Stages(keys, to, pdf_kb, seconds);
}
