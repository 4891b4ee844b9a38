// HTTPS and mutual TLS between the node's server and the HTTP client (issue
// #5), with certificates made here: a CA from pki::Issue, TLS leaves (which
// need serverAuth/clientAuth and an IP subjectAltName, which pki's profiles
// do not give) signed with OpenSSL's API. curl and `openssl s_client` check
// that the server speaks TLS as tools nobody here wrote expect.
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "lib/http/client.h"
#include "lib/http/server.h"
#include "lib/pki/openssl_util.h"
#include "lib/pki/pki_testing.h"

namespace chancery::http {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using pki::KeyRef;
using pki::testing::Now;
using pki::testing::Pub;
using pki::testing::RunCommand;
using pki::testing::WriteFile;

const std::string kSoftHsm = "/usr/lib/softhsm/libsofthsm2.so";

struct Authority {
  std::string key_pem;
  std::string certificate_pem;
};

Authority MakeAuthority(const std::string& name) {
  Authority ca;
  ca.key_pem = *pki::GenerateKey("");
  auto issued = pki::Issue({"", KeyRef::Pem(ca.key_pem)}, {.common_name = name}, Pub(ca.key_pem),
                           pki::Profile::kRootCa, Now() - 1h, 2);
  EXPECT_TRUE(issued.ok()) << issued.error().message;
  if (issued.ok()) ca.certificate_pem = issued->certificate_pem;
  return ca;
}

// A TLS leaf for `key` (server and client use), valid for 127.0.0.1 and
// localhost unless `without_names`.
std::string IssueTlsLeaf(const Authority& ca, const KeyRef& key, const std::string& common_name,
                         bool without_names = false) {
  using pki::internal::Cert;
  auto ca_cert = pki::internal::LoadCert(ca.certificate_pem, "ca");
  auto ca_key = pki::internal::LoadKey(KeyRef::Pem(ca.key_pem), "ca_key");
  auto subject_key = pki::internal::LoadKey(key, "key");
  EXPECT_TRUE(ca_cert.ok() && ca_key.ok() && subject_key.ok());
  if (!ca_cert.ok() || !ca_key.ok() || !subject_key.ok()) return "";

  static std::atomic<long> serial{1000};
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert->get()));
  X509_set_pubkey(cert.get(), subject_key->get());
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca_cert->get(), cert.get(), nullptr, nullptr, 0);
  std::vector<std::pair<int, const char*>> extensions = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
      {NID_ext_key_usage, "serverAuth,clientAuth"}};
  if (!without_names) extensions.emplace_back(NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  for (const auto& [nid, value] : extensions) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    EXPECT_NE(extension, nullptr);
    X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
  }
  EXPECT_GT(X509_sign(cert.get(), ca_key->get(), EVP_sha256()), 0);
  pki::internal::Bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert.get());
  return pki::internal::Drain(out.get());
}

// The pin of a certificate: SHA-256 of its DER in lower-case hex.
std::string Sha256Pin(const std::string& certificate_pem) {
  auto cert = pki::internal::LoadCert(certificate_pem, "certificate");
  EXPECT_TRUE(cert.ok());
  if (!cert.ok()) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  X509_digest(cert->get(), EVP_sha256(), digest, &size);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    static constexpr char kDigits[] = "0123456789abcdef";
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xf];
  }
  return hex;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Keys and certificates are made once: RSA key generation dominates the time.
class TlsTest : public ::testing::Test {
 protected:
  struct Identity {
    std::string key_pem;
    std::string certificate_pem;
  };

  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("chancery-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    if (!ca_.certificate_pem.empty())
      return;  // --gtest_repeat: the token's certificate stays valid
    ca_ = MakeAuthority("Chancery TLS Test CA");
    stranger_ca_ = MakeAuthority("Someone Else's CA");
    auto make = [](const Authority& ca, const std::string& name, bool without_names = false) {
      Identity id{*pki::GenerateKey(""), ""};
      id.certificate_pem = IssueTlsLeaf(ca, KeyRef::Pem(id.key_pem), name, without_names);
      return id;
    };
    server_ = make(ca_, "node.000.00.01.H08");
    client_ = make(ca_, "node.000.00.00.G12");
    stranger_ = make(stranger_ca_, "node.999.99.99.X00");
    unnamed_server_ = make(ca_, "node.without.names", /*without_names=*/true);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  ~TlsTest() override { StopServer(); }

  static TlsOptions ServerTls(const Identity& id = server_, bool require_client = true) {
    TlsOptions tls;
    tls.certificate_chain_pem = id.certificate_pem;
    tls.key = KeyRef::Pem(id.key_pem);
    tls.trusted_ca_pems = {ca_.certificate_pem};
    tls.require_peer_certificate = require_client;
    return tls;
  }
  // A client trusting our CA, presenting `id` (none when null).
  static TlsOptions ClientTls(const Identity* id = &client_) {
    TlsOptions tls;
    if (id) {
      tls.certificate_chain_pem = id->certificate_pem;
      tls.key = KeyRef::Pem(id->key_pem);
    }
    tls.trusted_ca_pems = {ca_.certificate_pem};
    return tls;
  }

  void StartServer(ServerOptions options) {
    if (router_.routes().empty()) AddRoutes();
    options.port = 0;
    options.worker_threads = 2;
    options.error_log = [this](std::string_view m) {
      std::lock_guard lock(mu_);
      errors_ += std::string(m) + "\n";
    };
    server_instance_ = std::make_unique<Server>(std::move(options), router_);
    Status s = server_instance_->Start();
    ASSERT_TRUE(s.ok()) << s.error().message;
    run_ = std::thread([this] { server_instance_->Run(); });
  }
  void AddRoutes() {
    router_.Add({.method = "GET", .pattern = "/whoami", .handler = [this](Request& r) {
                   ++handled_;
                   Response resp;
                   resp.SetHeader("X-Tls", r.tls ? "yes" : "no");
                   resp.body = r.peer_certificate_pem;
                   return resp;
                 }});
    router_.Add({.method = "POST", .pattern = "/echo", .handler = [this](Request& r) {
                   ++handled_;
                   return Response{.status = 200, .headers = {}, .body = r.body, .file = {}};
                 }});
  }
  void StartTlsServer(TlsOptions tls = ServerTls()) {
    ServerOptions options;
    options.tls = std::move(tls);
    StartServer(std::move(options));
  }
  void StopServer() {
    if (!server_instance_) return;
    server_instance_->Stop();
    if (run_.joinable()) run_.join();
    server_instance_.reset();
  }
  std::uint16_t port() const { return server_instance_->port(); }
  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(port()) + path;
  }
  HttpClient Client(const TlsOptions& tls) { return HttpClient("127.0.0.1", port(), tls); }

  std::string Errors() {
    std::lock_guard lock(mu_);
    return errors_;
  }
  // Server-side logs are written on its I/O thread, maybe just after the
  // client has seen the failure.
  bool WaitForError(const std::string& part) {
    for (int i = 0; i < 200; ++i) {
      if (Contains(Errors(), part)) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  static inline fs::path dir_;
  static inline Authority ca_, stranger_ca_;
  static inline Identity server_, client_, stranger_, unnamed_server_;

  Router router_;
  std::unique_ptr<Server> server_instance_;
  std::thread run_;
  std::atomic<int> handled_{0};
  std::mutex mu_;
  std::string errors_;
};

TEST_F(TlsTest, MutualTlsKeepsTheConnectionAlive) {
  StartTlsServer();
  HttpClient client = Client(ClientTls());
  for (int i = 0; i < 3; ++i) {
    auto r = client.Send("GET", "/whoami");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("X-Tls"), "yes");
    EXPECT_EQ(r->body, client_.certificate_pem);  // the handler saw who called
    EXPECT_EQ(r->peer_certificate_pem, server_.certificate_pem);
  }
  auto echoed = client.Send("POST", "/echo", "Công văn số 12/UBND");
  ASSERT_TRUE(echoed.ok()) << echoed.error().message;
  EXPECT_EQ(echoed->body, "Công văn số 12/UBND");
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(server_instance_->connections_accepted(), 1u);
  EXPECT_EQ(handled_, 4);
}

TEST_F(TlsTest, ReconnectsOnceAfterTheServerDroppedAnIdleConnection) {
  ServerOptions options;
  options.tls = ServerTls();
  options.idle_timeout = 1s;
  StartServer(std::move(options));
  HttpClient client = Client(ClientTls());
  ASSERT_TRUE(client.Send("GET", "/whoami").ok());
  std::this_thread::sleep_for(1500ms);
  auto r = client.Send("GET", "/whoami");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, client_.certificate_pem);
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST_F(TlsTest, OptionalClientCertificate) {
  StartTlsServer(ServerTls(server_, /*require_client=*/false));
  HttpClient anonymous = Client(ClientTls(nullptr));
  auto r = anonymous.Send("GET", "/whoami");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->header("X-Tls"), "yes");
  EXPECT_EQ(r->body, "");  // no certificate: nobody in particular
  HttpClient known = Client(ClientTls());
  auto k = known.Send("GET", "/whoami");
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->body, client_.certificate_pem);
}

TEST_F(TlsTest, ClientWithoutCertificateIsRefused) {
  StartTlsServer();
  HttpClient client = Client(ClientTls(nullptr));
  auto r = client.Send("GET", "/whoami");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(r.error().message, "requires a certificate")) << r.error().message;
  EXPECT_EQ(handled_, 0);
  EXPECT_TRUE(WaitForError("TLS handshake with 127.0.0.1 failed: the client sent no certificate"))
      << Errors();
}

TEST_F(TlsTest, ClientCertificateFromAnUnknownCaIsRefused) {
  StartTlsServer();
  HttpClient client = Client(ClientTls(&stranger_));
  auto r = client.Send("GET", "/whoami");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(r.error().message, "refused our certificate")) << r.error().message;
  EXPECT_EQ(handled_, 0);
  EXPECT_TRUE(WaitForError("the client's certificate is not trusted")) << Errors();
}

TEST_F(TlsTest, PinMismatchStopsBeforeTheRequestIsSent) {
  StartTlsServer();
  TlsOptions tls = ClientTls();
  tls.pinned_peer_sha256 = {Sha256Pin(client_.certificate_pem)};  // not the server's
  HttpClient client = Client(tls);
  auto r = client.Send("POST", "/echo", "secret draft");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(r.error().message, "the server's certificate is not the pinned one"))
      << r.error().message;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(handled_, 0);
}

TEST_F(TlsTest, PinnedServerNeedsNoCaNorMatchingName) {
  // The certificate names neither 127.0.0.1 nor localhost: only a pin accepts it.
  StartTlsServer(ServerTls(unnamed_server_));
  HttpClient unpinned = Client(ClientTls());
  auto refused = unpinned.Send("GET", "/whoami");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Contains(refused.error().message, "IP address mismatch")) << refused.error().message;

  TlsOptions tls = ClientTls();
  tls.trusted_ca_pems.clear();
  std::string pin = Sha256Pin(unnamed_server_.certificate_pem);
  for (char& c : pin) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  tls.pinned_peer_sha256 = {std::string(64, '0'), pin};
  HttpClient pinned = Client(tls);
  auto r = pinned.Send("GET", "/whoami");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, client_.certificate_pem);
  EXPECT_EQ(r->peer_certificate_pem, unnamed_server_.certificate_pem);
}

TEST_F(TlsTest, UntrustedServerIsRefused) {
  StartTlsServer(ServerTls(stranger_));
  HttpClient client = Client(ClientTls());
  auto r = client.Send("GET", "/whoami");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(r.error().message, "the server's certificate is not trusted"))
      << r.error().message;
  EXPECT_EQ(handled_, 0);
}

TEST_F(TlsTest, EncryptedKeyWithItsPassphrase) {
  Identity id{*pki::GenerateKey("mật khẩu"), ""};
  id.certificate_pem = IssueTlsLeaf(ca_, KeyRef::Pem(id.key_pem, "mật khẩu"), "encrypted");
  TlsOptions tls = ServerTls(id);
  tls.key = KeyRef::Pem(id.key_pem, "mật khẩu");
  StartTlsServer(tls);
  TlsOptions client_tls = ClientTls(nullptr);
  client_tls.certificate_chain_pem = id.certificate_pem;
  client_tls.key = KeyRef::Pem(id.key_pem, "mật khẩu");
  HttpClient client = Client(client_tls);
  auto r = client.Send("GET", "/whoami");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, id.certificate_pem);
}

TEST_F(TlsTest, UnusableOptionsAreInvalidArguments) {
  TlsOptions wrong_passphrase = ServerTls();
  wrong_passphrase.key = KeyRef::Pem(*pki::GenerateKey("right"), "guess-4711");
  Server wrong(ServerOptions{.port = 0, .tls = wrong_passphrase}, router_);
  Status s = wrong.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.error().message, "TLS option key")) << s.error().message;
  EXPECT_FALSE(Contains(s.error().message, "guess-4711"));  // never the passphrase

  TlsOptions mismatched = ServerTls();
  mismatched.key = KeyRef::Pem(client_.key_pem);
  Server other_key(ServerOptions{.port = 0, .tls = mismatched}, router_);
  Status m = other_key.Start();
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(Contains(m.error().message, "does not match")) << m.error().message;

  TlsOptions unverifiable = ServerTls();
  unverifiable.trusted_ca_pems.clear();
  Server unchecked(ServerOptions{.port = 0, .tls = unverifiable}, router_);
  EXPECT_FALSE(unchecked.Start().ok());

  TlsOptions bad_pin = ClientTls();
  bad_pin.pinned_peer_sha256 = {"abc"};
  HttpClient client("127.0.0.1", 1, bad_pin);
  auto r = client.Send("GET", "/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Contains(r.error().message, "pinned_peer_sha256[0]")) << r.error().message;
}

TEST_F(TlsTest, PlainHttpAndTlsDoNotMix) {
  StartTlsServer();
  HttpClient plain("127.0.0.1", port());
  auto r = plain.Send("GET", "/whoami");
  EXPECT_TRUE(!r.ok() || r->status >= 400);
  EXPECT_EQ(handled_, 0);
  EXPECT_TRUE(WaitForError("the client does not speak TLS")) << Errors();
  StopServer();

  StartServer(ServerOptions{});
  HttpClient secure = Client(ClientTls());
  auto s = secure.Send("GET", "/whoami");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(Contains(s.error().message, "TLS handshake")) << s.error().message;
}

TEST_F(TlsTest, OversizedBodyGets413OverTls) {
  ServerOptions options;
  options.tls = ServerTls();
  options.max_body_bytes = 1000;
  StartServer(std::move(options));
  HttpClient client = Client(ClientTls());
  auto r = client.Send("POST", "/echo", std::string(5000, 'x'));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(handled_, 0);
  auto again = client.Send("POST", "/echo", "small");  // reconnects
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->body, "small");
}

TEST_F(TlsTest, SilentConnectionIsDroppedAfterTheIdleTimeout) {
  ServerOptions options;
  options.tls = ServerTls();
  options.idle_timeout = 1s;
  StartServer(std::move(options));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const auto start = std::chrono::steady_clock::now();
  char c;
  EXPECT_LE(::recv(fd, &c, 1, 0), 0);  // closed, not a timeout of ours
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  ::close(fd);
  EXPECT_TRUE(WaitForError("TLS handshake with 127.0.0.1 failed")) << Errors();
}

TEST_F(TlsTest, CurlSpeaksMutualTlsWithTheServer) {
  StartTlsServer();
  const std::string ca = WriteFile(dir_ / "ca.pem", ca_.certificate_pem);
  const std::string cert = WriteFile(dir_ / "client.pem", client_.certificate_pem);
  const std::string key = WriteFile(dir_ / "client.key", client_.key_pem);
  std::string out;
  ASSERT_EQ(RunCommand("curl -sS --fail --cacert " + ca + " --cert " + cert + " --key " + key +
                           " " + url("/whoami"),
                       &out),
            0)
      << out;
  EXPECT_EQ(out, client_.certificate_pem);
  // Without a certificate curl gets no answer (TLS 1.3 reports it on reading).
  EXPECT_NE(RunCommand("curl -sS --cacert " + ca + " " + url("/whoami"), &out), 0) << out;
  EXPECT_EQ(handled_, 1);
}

TEST_F(TlsTest, OpenSslClientWithoutCertificateGetsNoAnswer) {
  StartTlsServer();
  const std::string ca = WriteFile(dir_ / "ca.pem", ca_.certificate_pem);
  const std::string request = WriteFile(
      dir_ / "request.txt", "GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string s_client = "openssl s_client -quiet -verify_return_error -CAfile " + ca +
                               " -connect 127.0.0.1:" + std::to_string(port());
  std::string out;
  RunCommand(s_client + " < " + request, &out);
  EXPECT_FALSE(Contains(out, "HTTP/1.1 200")) << out;
  EXPECT_TRUE(Contains(out, "certificate required")) << out;
  EXPECT_EQ(handled_, 0);

  const std::string cert = WriteFile(dir_ / "client.pem", client_.certificate_pem);
  const std::string key = WriteFile(dir_ / "client.key", client_.key_pem);
  RunCommand(s_client + " -cert " + cert + " -key " + key + " < " + request, &out);
  EXPECT_TRUE(Contains(out, "HTTP/1.1 200")) << out;
  EXPECT_EQ(handled_, 1);
}

// A SoftHSM2 token with an RSA key made in it and a TLS certificate for that
// key, made once per process (SoftHSM2 reads SOFTHSM2_CONF once, and the
// token's slot stays known to pki's module cache) and removed at exit.
struct TlsToken {
  fs::path dir = fs::temp_directory_path() / ("chancery-tls-token-" + std::to_string(::getpid()));
  KeyRef key = KeyRef::Token("pkcs11:token=tls-token;object=tls;type=private", kSoftHsm, "1234");
  std::string certificate_pem;
  std::string failure;  // why it could not be made

  explicit TlsToken(const Authority& ca) {
    fs::create_directories(dir / "tokens");
    const std::string conf =
        WriteFile(dir / "softhsm2.conf", "directories.tokendir = " + (dir / "tokens").string() +
                                             "\nobjectstore.backend = file\n");
    ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
    std::string out;
    if (RunCommand("softhsm2-util --init-token --free --label tls-token --pin 1234"
                   " --so-pin 123456",
                   &out) != 0 ||
        RunCommand("pkcs11-tool --module " + kSoftHsm +
                       " --token-label tls-token --login --pin 1234"
                       " --keypairgen --key-type rsa:2048 --label tls --id 7e",
                   &out) != 0) {
      failure = out;
      return;
    }
    certificate_pem = IssueTlsLeaf(ca, key, "node in a token");
  }
  ~TlsToken() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

// The node's TLS key in a PKCS#11 token: each handshake signs in the token.
TEST_F(TlsTest, ServerKeyInAToken) {
  if (!fs::exists(kSoftHsm)) GTEST_SKIP() << "softhsm2 is not installed";
  static TlsToken token(ca_);
  ASSERT_TRUE(token.failure.empty()) << token.failure;
  ASSERT_FALSE(token.certificate_pem.empty());
  TlsOptions tls = ServerTls();
  tls.certificate_chain_pem = token.certificate_pem;
  tls.key = token.key;
  StartTlsServer(tls);
  HttpClient client = Client(ClientTls());
  for (int i = 0; i < 2; ++i) {
    client.Close();  // a new handshake, a new signature in the token
    auto r = client.Send("GET", "/whoami");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->peer_certificate_pem, token.certificate_pem);
  }
}

}  // namespace
}  // namespace chancery::http
