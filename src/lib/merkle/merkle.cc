#include "lib/merkle/merkle.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace chancery::merkle {
namespace {

constexpr unsigned char kLeafPrefix = 0x00;
constexpr unsigned char kNodePrefix = 0x01;

// SHA-256 over the concatenation of `parts`. OpenSSL failing here means the
// library is unusable (out of memory, broken provider); there is no sensible
// recovery for an audit log, so abort rather than return a wrong hash.
Hash Sha256(std::initializer_list<std::string_view> parts) {
  Hash out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(ctx, part.data(), part.size()) == 1;
  }
  unsigned int len = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == out.size();
  EVP_MD_CTX_free(ctx);
  if (!ok) std::abort();
  return out;
}

std::string_view View(const Hash& h) { return {reinterpret_cast<const char*>(h.data()), h.size()}; }

// Largest power of two strictly smaller than n; n must be >= 2.
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

void Path(std::span<const Hash> leaves, std::uint64_t m, std::vector<Hash>* out) {
  const std::uint64_t n = leaves.size();
  if (n <= 1) return;
  const std::uint64_t k = SplitPoint(n);
  if (m < k) {
    Path(leaves.first(k), m, out);
    out->push_back(RootOf(leaves.subspan(k)));
  } else {
    Path(leaves.subspan(k), m - k, out);
    out->push_back(RootOf(leaves.first(k)));
  }
}

// SUBPROOF(m, D[n], b) of RFC 6962 2.1.2, 0 < m <= n.
void SubProof(std::span<const Hash> leaves, std::uint64_t m, bool complete,
              std::vector<Hash>* out) {
  const std::uint64_t n = leaves.size();
  if (m == n) {
    if (!complete) out->push_back(RootOf(leaves));
    return;
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(leaves.first(k), m, complete, out);
    out->push_back(RootOf(leaves.subspan(k)));
  } else {
    SubProof(leaves.subspan(k), m - k, false, out);
    out->push_back(RootOf(leaves.first(k)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Hash LeafHash(std::string_view record) {
  const char prefix = static_cast<char>(kLeafPrefix);
  return Sha256({std::string_view(&prefix, 1), record});
}

Hash NodeHash(const Hash& left, const Hash& right) {
  const char prefix = static_cast<char>(kNodePrefix);
  return Sha256({std::string_view(&prefix, 1), View(left), View(right)});
}

Hash EmptyRoot() { return Sha256({}); }

Hash RootOf(std::span<const Hash> leaves) {
  const std::uint64_t n = leaves.size();
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[0];
  const std::uint64_t k = SplitPoint(n);
  return NodeHash(RootOf(leaves.first(k)), RootOf(leaves.subspan(k)));
}

std::vector<Hash> InclusionProof(std::span<const Hash> leaves, std::uint64_t index) {
  std::vector<Hash> proof;
  if (index >= leaves.size()) return proof;
  Path(leaves, index, &proof);
  return proof;
}

bool VerifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                     std::span<const Hash> proof, const Hash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, std::uint64_t old_size) {
  std::vector<Hash> proof;
  if (old_size == 0 || old_size >= leaves.size()) return proof;
  SubProof(leaves, old_size, true, &proof);
  return proof;
}

bool VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == EmptyRoot();
  if (proof.empty()) return false;

  // When the old tree is a perfect subtree of the new one its root is the
  // first node of the path, and the proof omits it (RFC 9162 2.1.4.2 step 2).
  std::size_t next = 0;
  Hash fr;
  if (std::has_single_bit(old_size)) {
    fr = old_root;
  } else {
    fr = proof[0];
    next = 1;
  }
  Hash sr = fr;
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

void CompactTree::Append(const Hash& leaf) {
  Hash carry = leaf;
  for (std::uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    carry = NodeHash(frontier_.back(), carry);
    frontier_.pop_back();
  }
  frontier_.push_back(carry);
  ++size_;
}

Hash CompactTree::Root() const {
  if (frontier_.empty()) return EmptyRoot();
  Hash r = frontier_.back();
  for (std::size_t i = frontier_.size() - 1; i-- > 0;) r = NodeHash(frontier_[i], r);
  return r;
}

std::string CompactTree::Serialize() const {
  std::string out = std::to_string(size_);
  out.reserve(out.size() + frontier_.size() * 65);
  for (const Hash& h : frontier_) {
    out += ':';
    out += ToHex(h);
  }
  return out;
}

Result<CompactTree> CompactTree::Parse(std::string_view text) {
  const auto malformed = [] {
    return MakeError(ErrorCode::kMalformed, "Not a serialized Merkle tree frontier.");
  };
  const std::size_t colon = std::min(text.find(':'), text.size());
  const std::string_view digits = text.substr(0, colon);
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return malformed();
  CompactTree tree;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), tree.size_);
  if (ec != std::errc() || end != digits.data() + digits.size()) return malformed();
  std::string_view rest = text.substr(colon);
  while (!rest.empty()) {
    // rest is ":<64 hex>..." here.
    if (rest.size() < 65 || rest[0] != ':') return malformed();
    Hash h;
    if (!FromHex(rest.substr(1, 64), &h)) return malformed();
    tree.frontier_.push_back(h);
    rest.remove_prefix(65);
  }
  if (tree.frontier_.size() != static_cast<std::size_t>(std::popcount(tree.size_))) {
    return malformed();
  }
  return tree;
}

std::string ToHex(const Hash& hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(hash.size() * 2, '\0');
  for (std::size_t i = 0; i < hash.size(); ++i) {
    out[2 * i] = kDigits[hash[i] >> 4];
    out[2 * i + 1] = kDigits[hash[i] & 0x0f];
  }
  return out;
}

bool FromHex(std::string_view hex, Hash* out) {
  if (hex.size() != 64) return false;
  Hash h;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    h[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  *out = h;
  return true;
}

}  // namespace chancery::merkle
