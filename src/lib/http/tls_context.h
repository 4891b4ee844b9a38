// Inside src/lib/http only (the server, client.cc): the OpenSSL context built from
// TlsOptions, and TLS failures in words. Includes Asio's SSL headers, which is
// why it is not part of tls.h.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lib/http/tls.h"

namespace chancery::http::internal {

enum class TlsRole { kServer, kClient };

// One context serves every connection of a server or client; it is
// immutable once made, so connections on several threads may share it.
class TlsContext {
 public:
  // kInvalidArgument naming the field when a certificate, key or pin does not
  // parse, the key does not match the certificate, or the options cannot
  // authenticate the peer (a server requiring certificates it cannot check).
  static Result<std::unique_ptr<TlsContext>> Make(const TlsOptions& options, TlsRole role);

  boost::asio::ssl::context& context() { return context_; }

  // Client, before each handshake to `host` (a name or an IP): the server
  // name to send (SNI, names only) and, without pins, the name or IP the
  // server's certificate must show.
  Status PrepareClient(SSL* ssl, const std::string& host) const;

 private:
  explicit TlsContext(TlsRole role);
  // OpenSSL's certificate verification, with the pin check in front.
  static int AcceptAny(X509_STORE_CTX* store, void* arg);
  static int VerifyPeer(X509_STORE_CTX* store, void* self);

  TlsRole role_;
  // Declared before the context, so the context lets go of the key first: a
  // token key's deleter ends its login.
  std::shared_ptr<EVP_PKEY> key_;
  boost::asio::ssl::context context_;
  std::vector<std::string> pins_;  // lower hex
  bool verify_chain_ = true;
};

// The peer's leaf certificate as PEM when the handshake verified it, else "".
std::string VerifiedPeerCertificatePem(SSL* ssl);

// Why a TLS operation failed, for an error or a log line; `peer` is "server"
// or "client". Names a pin mismatch, an untrusted peer certificate, or a
// certificate the peer refused (or missed) when the error says so. `ssl` may
// be null when the connection no longer exists.
std::string DescribeTlsFailure(const boost::system::error_code& ec, SSL* ssl,
                               std::string_view peer);

}  // namespace chancery::http::internal
