#include "lib/merkle/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chancery::merkle {
namespace {

Hash H(std::string_view hex) {
  Hash h{};
  EXPECT_TRUE(FromHex(hex, &h)) << hex;
  return h;
}

std::vector<Hash> Hs(std::initializer_list<std::string_view> hexes) {
  std::vector<Hash> out;
  for (std::string_view h : hexes) out.push_back(H(h));
  return out;
}

// The Certificate Transparency reference leaves (google/certificate-transparency,
// python/ct/crypto/merkle_test.py, "test_vector_leaves").
std::vector<Hash> CtLeaves() {
  const std::string_view data[] = {
      std::string_view("", 0),
      std::string_view("\x00", 1),
      "\x10",
      "\x20\x21",
      "\x30\x31",
      "\x40\x41\x42\x43",
      "\x50\x51\x52\x53\x54\x55\x56\x57",
      "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
  };
  std::vector<Hash> out;
  for (std::string_view d : data) out.push_back(LeafHash(d));
  return out;
}

std::vector<Hash> MakeLeaves(std::size_t n) {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(LeafHash("record-" + std::to_string(i)));
  return out;
}

TEST(MerkleTest, HashPrimitivesMatchCtVectors) {
  EXPECT_EQ(ToHex(EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(ToHex(LeafHash("\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f")),
            "3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a");
  EXPECT_EQ(ToHex(NodeHash(H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                           H("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"))),
            "1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57");
}

TEST(MerkleTest, RootsMatchCtVectors) {
  const char* const kRoots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  const std::vector<Hash> leaves = CtLeaves();
  EXPECT_EQ(RootOf({}), EmptyRoot());
  for (std::size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(ToHex(RootOf(std::span(leaves).first(n))), kRoots[n - 1]) << "size " << n;
    CompactTree tree;
    for (std::size_t i = 0; i < n; ++i) tree.Append(leaves[i]);
    EXPECT_EQ(ToHex(tree.Root()), kRoots[n - 1]) << "compact, size " << n;
  }
}

// Proofs published with the CT reference implementation for the same leaves.
TEST(MerkleTest, ProofsMatchCtVectors) {
  const std::vector<Hash> leaves = CtLeaves();
  const std::span<const Hash> all(leaves);

  const std::vector<Hash> path0 =
      Hs({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"});
  EXPECT_EQ(InclusionProof(all, 0), path0);
  EXPECT_TRUE(VerifyInclusion(leaves[0], 0, 8, path0, RootOf(all)));

  const std::vector<Hash> path5 =
      Hs({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"});
  EXPECT_EQ(InclusionProof(all, 5), path5);
  EXPECT_TRUE(VerifyInclusion(leaves[5], 5, 8, path5, RootOf(all)));

  // (old_size, new_size, proof); roots as in RootsMatchCtVectors.
  EXPECT_EQ(ConsistencyProof(all, 1), path0);
  const std::vector<Hash> c68 =
      Hs({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"});
  EXPECT_EQ(ConsistencyProof(all, 6), c68);
  EXPECT_TRUE(VerifyConsistency(6, 8, RootOf(all.first(6)), RootOf(all), c68));
  const std::vector<Hash> c25 =
      Hs({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"});
  EXPECT_EQ(ConsistencyProof(all.first(5), 2), c25);
  EXPECT_TRUE(VerifyConsistency(2, 5, RootOf(all.first(2)), RootOf(all.first(5)), c25));
  // A proof one hash short fails (CT "proof too short").
  EXPECT_FALSE(VerifyConsistency(6, 8, RootOf(all.first(6)), RootOf(all), std::span(c68).first(2)));
}

// Flips byte `b` of `h`.
Hash Flip(Hash h, std::size_t b) {
  h[b] ^= 0x01;
  return h;
}

TEST(MerkleTest, EveryInclusionProofVerifiesAndTamperingFails) {
  const std::vector<Hash> leaves = MakeLeaves(70);
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const std::span<const Hash> tree = std::span(leaves).first(n);
    const Hash root = RootOf(tree);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<Hash> proof = InclusionProof(tree, i);
      ASSERT_TRUE(VerifyInclusion(leaves[i], i, n, proof, root)) << n << " " << i;
      // Every byte of small trees' proofs; a rotating byte beyond, to stay fast.
      for (std::size_t p = 0; p < proof.size(); ++p) {
        for (std::size_t b = 0; b < 32; ++b) {
          if (n > 16 && b != (i + p) % 32) continue;
          const Hash saved = proof[p];
          proof[p] = Flip(saved, b);
          EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, proof, root)) << n << " " << i;
          proof[p] = saved;
        }
      }
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, proof, Flip(root, i % 32)));
      EXPECT_FALSE(VerifyInclusion(Flip(leaves[i], 31), i, n, proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], (i + 1) % n, n, proof, root));
        EXPECT_FALSE(VerifyInclusion(leaves[(i + 1) % n], i, n, proof, root));
      }
      // (The tree size is not hashed into the root, so a nearby size with the
      // same path shape verifies too; signed tree heads bind the size.)
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, 1, proof, root));
      }
      EXPECT_FALSE(VerifyInclusion(leaves[i], n, n, proof, root));  // index out of range
      if (!proof.empty()) {
        EXPECT_FALSE(
            VerifyInclusion(leaves[i], i, n, std::span(proof).first(proof.size() - 1), root));
      }
      proof.push_back(root);
      EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, proof, root));
    }
    EXPECT_TRUE(InclusionProof(tree, n).empty());
  }
}

TEST(MerkleTest, EveryConsistencyProofVerifiesAndTamperingFails) {
  const std::vector<Hash> leaves = MakeLeaves(70);
  std::vector<Hash> roots;  // roots[m] = root of the first m leaves
  for (std::size_t m = 0; m <= leaves.size(); ++m) {
    roots.push_back(RootOf(std::span(leaves).first(m)));
  }
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    const std::span<const Hash> tree = std::span(leaves).first(n);
    for (std::size_t m = 1; m <= n; ++m) {
      std::vector<Hash> proof = ConsistencyProof(tree, m);
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], proof)) << m << " " << n;
      if (m == n) {
        EXPECT_TRUE(proof.empty());
        EXPECT_FALSE(VerifyConsistency(m, n, roots[m], Flip(roots[n], 0), proof));
        continue;
      }
      ASSERT_FALSE(proof.empty());
      for (std::size_t p = 0; p < proof.size(); ++p) {
        for (std::size_t b = 0; b < 32; ++b) {
          if (n > 16 && b != (m + p) % 32) continue;
          const Hash saved = proof[p];
          proof[p] = Flip(saved, b);
          EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], proof)) << m << " " << n;
          proof[p] = saved;
        }
      }
      EXPECT_FALSE(VerifyConsistency(m, n, Flip(roots[m], m % 32), roots[n], proof));
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], Flip(roots[n], n % 32), proof));
      EXPECT_FALSE(VerifyConsistency(n, m, roots[n], roots[m], proof));
      EXPECT_FALSE(VerifyConsistency(m, m, roots[m], roots[n], proof));
      if (m > 1) {
        EXPECT_FALSE(VerifyConsistency(m - 1, n, roots[m], roots[n], proof));
      }
      EXPECT_FALSE(
          VerifyConsistency(m, n, roots[m], roots[n], std::span(proof).first(proof.size() - 1)));
      proof.push_back(roots[n]);
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], proof));
    }
    // The empty tree is a prefix of every tree; nothing needs proving.
    EXPECT_TRUE(ConsistencyProof(tree, 0).empty());
    EXPECT_TRUE(VerifyConsistency(0, n, EmptyRoot(), roots[n], {}));
    EXPECT_FALSE(VerifyConsistency(0, n, roots[1], roots[n], {}));
  }
}

TEST(MerkleTest, CompactTreeMatchesRootOfAndSurvivesSerialization) {
  const std::vector<Hash> leaves = MakeLeaves(300);
  CompactTree tree;
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    ASSERT_EQ(tree.size(), n);
    ASSERT_EQ(tree.Root(), RootOf(std::span(leaves).first(n))) << "size " << n;
    const std::string text = tree.Serialize();
    Result<CompactTree> parsed = CompactTree::Parse(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, tree);
    EXPECT_EQ(parsed->Root(), tree.Root());
    // A parsed tree keeps growing like the original.
    if (n < leaves.size()) {
      parsed->Append(leaves[n]);
      tree.Append(leaves[n]);
      EXPECT_EQ(parsed->Root(), tree.Root());
    }
  }
}

TEST(MerkleTest, CompactTreeParseRejectsMalformedText) {
  CompactTree tree;
  for (int i = 0; i < 5; ++i) tree.Append(LeafHash(std::to_string(i)));
  const std::string good = tree.Serialize();  // "5:<hex>:<hex>"
  ASSERT_TRUE(CompactTree::Parse(good).ok());
  ASSERT_TRUE(CompactTree::Parse("0").ok());
  EXPECT_EQ(CompactTree::Parse("0")->Root(), EmptyRoot());

  const std::string bad[] = {
      "",
      ":",
      "0:",
      "-1",
      "05" + good.substr(1),
      "4" + good.substr(1),             // 4 has one set bit, two hashes given
      good.substr(0, good.size() - 1),  // truncated hash
      good + "0",                       // trailing junk
      good + ":",                       // empty trailing hash
      "5:" + std::string(64, 'g') + good.substr(good.find(':', 2)),
      "99999999999999999999999",  // overflow
      "1",                        // one set bit, no hash
  };
  for (const std::string& text : bad) {
    Result<CompactTree> parsed = CompactTree::Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
  }
}

TEST(MerkleTest, HexRoundTrip) {
  const Hash h = LeafHash("x");
  Hash back{};
  ASSERT_TRUE(FromHex(ToHex(h), &back));
  EXPECT_EQ(back, h);
  std::string upper = ToHex(h);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_TRUE(FromHex(upper, &back));
  EXPECT_EQ(back, h);

  Hash untouched{};
  EXPECT_FALSE(FromHex(ToHex(h).substr(1), &untouched));
  EXPECT_FALSE(FromHex(ToHex(h) + "0", &untouched));
  EXPECT_FALSE(FromHex("z" + ToHex(h).substr(1), &untouched));
  EXPECT_EQ(untouched, Hash{});
}

}  // namespace
}  // namespace chancery::merkle
