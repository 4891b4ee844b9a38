// TLS settings shared by the node's server and the HTTP client: what agency
// nodes need to talk to each other over mutual TLS (issue #5). Plain data, no
// Beast or OpenSSL here, so configuration code can include it freely.
//
// Both sides speak TLS 1.2 or 1.3 (1.3 when the peer can) with OpenSSL's
// default ciphers. A peer is authenticated by its certificate chaining to
// `trusted_ca_pems` and/or by its leaf being one of `pinned_peer_sha256`:
//   - server: asks for a client certificate when either is set; refuses at the
//     handshake a client without one when `require_peer_certificate`;
//   - client: with pins, the server's leaf must be pinned (and chain to the
//     CAs when some are given); no host name check, since peers are known by
//     certificate and endpoints may be IPs. Without pins: the chain to the
//     CAs (the system's CA store when none are given) and the host name.
// A certificate's extended key usage, when present, must allow TLS
// (serverAuth for a server, clientAuth for a client), as OpenSSL checks.
#pragma once

#include <string>
#include <vector>

#include "lib/pki/pki.h"

namespace chancery::http {

struct TlsOptions {
  // Our certificate: the leaf first, then intermediates. Required for a
  // server; a client without one presents no certificate.
  std::string certificate_chain_pem;
  // The leaf's private key: a PEM (encrypted when key.secret holds its
  // passphrase) or a PKCS#11 token key. A token key stays logged in for as
  // long as the server or client lives, so give TLS a token of its own.
  pki::KeyRef key;
  // CAs (roots or intermediates, PEM, several per string allowed) whose
  // certificates we accept from the other side.
  std::vector<std::string> trusted_ca_pems;
  // Server: refuse, at the handshake, a client without a certificate that
  // verifies. Needs trusted_ca_pems or pinned_peer_sha256.
  bool require_peer_certificate = false;
  // Server: ask for a client certificate but accept any (the handshake still
  // proves the client holds its key); the application identifies it from
  // Request::peer_certificate_pem — agency nodes look it up in their
  // directory, which can change without restarting the listener.
  bool accept_any_peer_certificate = false;
  // SHA-256 of the peer's leaf certificate (DER), 64 hex digits. When not
  // empty the peer's leaf must be one of these, checked during the handshake
  // before any request byte is sent.
  std::vector<std::string> pinned_peer_sha256;
};

}  // namespace chancery::http
