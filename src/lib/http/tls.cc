#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <cctype>

#include "lib/http/tls_context.h"
#include "lib/pki/openssl_util.h"

namespace chancery::http::internal {

namespace asio = boost::asio;
using pki::internal::Bio;
using pki::internal::Cert;

namespace {

// A bad option, with a message that says which one (the generic
// "The request is not valid." of Error::Invalid would not, in a log line).
Error InvalidOption(std::string field, std::string what) {
  ERR_clear_error();
  Error e = Error::Invalid(field, "unusable", what);
  e.message = "TLS option " + field + ": " + what;
  return e;
}

std::string LowerHex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

std::string LeafSha256(X509* leaf) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (X509_digest(leaf, EVP_sha256(), digest, &size) != 1) return "";
  return LowerHex(digest, size);
}

// Pins are compared as 64 lower-case hex digits; operators paste them in
// either case.
std::optional<std::string> NormalisePin(std::string_view pin) {
  if (pin.size() != 64) return std::nullopt;
  std::string out;
  for (char c : pin) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool IsIpAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Adds every certificate of a PEM bundle as a trust anchor (and, for a
// server, as a CA it names when asking for a client certificate).
Status AddTrusted(SSL_CTX* ctx, const std::string& pem, std::size_t index, TlsRole role) {
  const std::string field = "trusted_ca_pems[" + std::to_string(index) + "]";
  Bio bio = pki::internal::ReadBio(pem);
  int added = 0;
  while (Cert cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), cert.get()) != 1) {
      return InvalidOption(field, "cannot add a CA certificate: " + pki::internal::OpenSslErrors());
    }
    if (role == TlsRole::kServer && SSL_CTX_add_client_CA(ctx, cert.get()) != 1) {
      return InvalidOption(field, "cannot name a CA: " + pki::internal::OpenSslErrors());
    }
    ++added;
  }
  ERR_clear_error();  // the loop ends on a "no start line" error
  if (added == 0) return InvalidOption(field, "not a PEM certificate");
  return Ok();
}

// Our own certificate chain and key, when given (a client may have none).
Result<std::shared_ptr<EVP_PKEY>> UseIdentity(SSL_CTX* ctx, const TlsOptions& options,
                                              TlsRole role) {
  const bool has_key = !options.key.pem.empty() || !options.key.pkcs11_uri.empty();
  if (options.certificate_chain_pem.empty() && !has_key) {
    if (role == TlsRole::kServer) {
      return InvalidOption("certificate_chain_pem", "a TLS server needs a certificate and key");
    }
    return std::shared_ptr<EVP_PKEY>();
  }
  if (options.certificate_chain_pem.empty()) {
    return InvalidOption("certificate_chain_pem", "a key without its certificate");
  }
  if (!has_key) return InvalidOption("key", "a certificate without its key");

  Bio bio = pki::internal::ReadBio(options.certificate_chain_pem);
  Cert leaf{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return InvalidOption("certificate_chain_pem", "not a PEM certificate");
  }
  SSL_CTX_clear_chain_certs(ctx);
  while (X509* intermediate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    // add0: the context takes ownership.
    if (SSL_CTX_add0_chain_cert(ctx, intermediate) != 1) {
      X509_free(intermediate);
      return InvalidOption("certificate_chain_pem", "cannot use an intermediate certificate");
    }
  }
  ERR_clear_error();

  auto key = pki::internal::LoadKey(options.key, "key");
  if (!key.ok()) {
    const auto& fields = key.error().fields;
    return InvalidOption("key", fields.empty() ? key.error().message : fields.front().message);
  }
  std::shared_ptr<EVP_PKEY> shared(std::move(*key));
  if (SSL_CTX_use_PrivateKey(ctx, shared.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return InvalidOption("key", "does not match the certificate");
  }
  return shared;
}

}  // namespace

TlsContext::TlsContext(TlsRole role)
    : role_(role),
      context_(role == TlsRole::kServer ? asio::ssl::context::tls_server
                                        : asio::ssl::context::tls_client) {}

Result<std::unique_ptr<TlsContext>> TlsContext::Make(const TlsOptions& options, TlsRole role) {
  std::unique_ptr<TlsContext> self(new TlsContext(role));
  SSL_CTX* ctx = self->context_.native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return MakeError(ErrorCode::kInternal, "Cannot require TLS 1.2.");
  }
  // Renegotiation only adds attack surface (and CPU cost for a peer to
  // impose) to connections that never need it.
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // TLS 1.2 with forward secrecy and AEAD only (TLS 1.3's suites all are).
  if (SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL") != 1) {
    return MakeError(ErrorCode::kInternal, "Cannot restrict the TLS 1.2 ciphers.");
  }

  CHY_TRY(self->key_, UseIdentity(ctx, options, role));
  for (std::size_t i = 0; i < options.trusted_ca_pems.size(); ++i) {
    CHY_TRY_STATUS(AddTrusted(ctx, options.trusted_ca_pems[i], i, role));
  }
  for (std::size_t i = 0; i < options.pinned_peer_sha256.size(); ++i) {
    auto pin = NormalisePin(options.pinned_peer_sha256[i]);
    if (!pin) {
      return InvalidOption("pinned_peer_sha256[" + std::to_string(i) + "]",
                           "not a SHA-256 in hex (64 digits)");
    }
    self->pins_.push_back(std::move(*pin));
  }

  const bool has_cas = !options.trusted_ca_pems.empty();
  const bool has_pins = !self->pins_.empty();
  if (role == TlsRole::kServer) {
    if (options.accept_any_peer_certificate) {
      // The handshake still proves the client holds the certificate's key
      // (CertificateVerify); who it is, the application decides.
      int mode = SSL_VERIFY_PEER;
      if (options.require_peer_certificate) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      SSL_CTX_set_verify(ctx, mode, nullptr);
      SSL_CTX_set_cert_verify_callback(ctx, &TlsContext::AcceptAny, nullptr);
      static constexpr unsigned char kAnyContext[] = "chancery-any";
      SSL_CTX_set_session_id_context(ctx, kAnyContext, sizeof kAnyContext - 1);
      return self;
    }
    if (options.require_peer_certificate && !has_cas && !has_pins) {
      return InvalidOption("require_peer_certificate",
                           "client certificates are required but no CA or pin can check them");
    }
    self->verify_chain_ = has_cas;
    int mode = SSL_VERIFY_NONE;
    if (has_cas || has_pins) mode = SSL_VERIFY_PEER;
    if (options.require_peer_certificate) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx, mode, nullptr);
    // Without an id context OpenSSL refuses to resume sessions of clients it
    // verified; any constant will do for a single service.
    static constexpr unsigned char kSessionContext[] = "chancery";
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  } else {
    // An unpinned server is checked like any HTTPS site: against the given
    // CAs, or the system's when none are given.
    self->verify_chain_ = has_cas || !has_pins;
    if (!has_cas && !has_pins && SSL_CTX_set_default_verify_paths(ctx) != 1) {
      return MakeError(ErrorCode::kInternal, "Cannot load the system's CA certificates.");
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  if (has_pins) SSL_CTX_set_cert_verify_callback(ctx, &TlsContext::VerifyPeer, self.get());
  return self;
}

int TlsContext::AcceptAny(X509_STORE_CTX* store, void*) {
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

int TlsContext::VerifyPeer(X509_STORE_CTX* store, void* arg) {
  const auto* self = static_cast<const TlsContext*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  const std::string hash = leaf ? LeafSha256(leaf) : "";
  bool pinned = false;
  for (const auto& pin : self->pins_) pinned = pinned || (!hash.empty() && pin == hash);
  if (!pinned) {
    // DescribeTlsFailure recognises this code as "not the pinned one".
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  if (!self->verify_chain_) {
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
  }
  return X509_verify_cert(store);
}

Status TlsContext::PrepareClient(SSL* ssl, const std::string& host) const {
  const bool ip = IsIpAddress(host);
  if (!ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "Cannot send the server name \"" + host + "\".");
  }
  if (!pins_.empty() || !verify_chain_) return Ok();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (set != 1) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInvalidArgument,
                     "Cannot check the server's certificate for \"" + host + "\".");
  }
  return Ok();
}

std::string VerifiedPeerCertificatePem(SSL* ssl) {
  X509* peer = SSL_get0_peer_certificate(ssl);
  if (!peer || SSL_get_verify_result(ssl) != X509_V_OK) return "";
  Bio out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_X509(out.get(), peer) != 1) {
    ERR_clear_error();
    return "";
  }
  return pki::internal::Drain(out.get());
}

std::string DescribeTlsFailure(const boost::system::error_code& ec, SSL* ssl,
                               std::string_view peer) {
  const std::string who(peer);
  if (ssl) {
    const long verdict = SSL_get_verify_result(ssl);
    if (verdict == X509_V_ERR_APPLICATION_VERIFICATION) {
      return "the " + who + "'s certificate is not the pinned one";
    }
    if (verdict != X509_V_OK) {
      return "the " + who + "'s certificate is not trusted (" +
             X509_verify_cert_error_string(verdict) + ")";
    }
  }
  if (ec == asio::ssl::error::stream_truncated) {
    return "the " + who + " closed the TLS connection without notice";
  }
  if (ec.category() != asio::error::get_ssl_category()) return ec.message();
  const std::string detail = " (" + ec.message() + ")";
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
      return "the " + who + " requires a certificate and none was sent" + detail;
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return "the " + who + " sent no certificate" + detail;
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
      return "the " + who + " refused our certificate" + detail;
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_HTTP_REQUEST:
      return "the " + who + " does not speak TLS" + detail;
    default:
      return "TLS failed" + detail;
  }
}

}  // namespace chancery::http::internal
