// RFC 6962 Merkle tree hashing for the append-only audit log.
//
// Leaves are SHA-256(0x00 || record), interior nodes SHA-256(0x01 || left ||
// right), and a tree of n leaves splits at the largest power of two smaller
// than n (RFC 6962 section 2.1; identical in RFC 9162). The domain-separation
// prefixes mean a leaf can never be passed off as a node.
//
// Proof generation takes the full list of leaf hashes and is O(n); it serves
// audits and exports, not the write path. The write path keeps a CompactTree
// (O(log n) per append) next to the records, in the same transaction.
//
// Everything here is a pure function of its arguments (no shared state), safe
// from any thread. SHA-256 comes from OpenSSL EVP; if OpenSSL cannot compute a
// SHA-256 the process is broken beyond recovery and aborts.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace chancery::merkle {

using Hash = std::array<unsigned char, 32>;

// SHA-256(0x00 || record).
Hash LeafHash(std::string_view record);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
Hash EmptyRoot();

// MTH(D[n]) over already-hashed leaves (LeafHash of each record).
Hash RootOf(std::span<const Hash> leaves);

// PATH(index, D[n]) (RFC 6962 2.1.1), leaf-side first. Empty when index is out
// of range (and for a one-leaf tree, where the path is empty anyway).
std::vector<Hash> InclusionProof(std::span<const Hash> leaves, std::uint64_t index);

// True when `proof` shows that `leaf` (a leaf hash) sits at `index` in the
// tree of `size` leaves whose root is `root` (RFC 9162 2.1.3.2).
bool VerifyInclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                     std::span<const Hash> proof, const Hash& root);

// PROOF(old_size, D[n]) for n = leaves.size() (RFC 6962 2.1.2, SUBPROOF).
// Empty when old_size is 0, equal to n, or greater than n (nothing to prove,
// or nothing provable).
std::vector<Hash> ConsistencyProof(std::span<const Hash> leaves, std::uint64_t old_size);

// True when `proof` shows the tree of `new_size` leaves with root `new_root`
// extends the tree of `old_size` leaves with root `old_root` (RFC 9162
// 2.1.4.2). Edge cases: old_size == new_size needs equal roots and an empty
// proof; old_size == 0 needs old_root == EmptyRoot() and an empty proof;
// old_size > new_size is always false.
bool VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof);

// The frontier of a growing tree: one perfect-subtree root per set bit of
// size(), largest (leftmost) first. Appending merges equal-height subtrees
// like a binary counter, so Append and Root are O(log n). The audit log stores
// Serialize() in its database and updates it in the same transaction as each
// record. Not thread-safe; a value type, copy it freely.
class CompactTree {
 public:
  CompactTree() = default;

  void Append(const Hash& leaf);  // `leaf` is a leaf hash (LeafHash(record))
  Hash Root() const;              // equals RootOf(all leaves appended so far)
  std::uint64_t size() const { return size_; }

  // "<size>" then ":<64 hex>" per frontier hash, largest subtree first, e.g.
  // "3:ab..:cd..". Stable; it is stored in databases.
  std::string Serialize() const;
  // Inverse of Serialize. kMalformed when the text is not one, or when the
  // number of hashes does not match the number of set bits of size.
  static Result<CompactTree> Parse(std::string_view text);

  friend bool operator==(const CompactTree&, const CompactTree&) = default;

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash> frontier_;  // popcount(size_) entries, largest subtree first
};

// Lower-case hex, 64 characters.
std::string ToHex(const Hash& hash);
// Accepts exactly 64 hex digits (either case); false otherwise, *out untouched.
bool FromHex(std::string_view hex, Hash* out);

}  // namespace chancery::merkle
