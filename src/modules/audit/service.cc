// Services: the audit log, its proofs and its verification.
#include "modules/audit/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "lib/export/export.h"
#include "lib/merkle/merkle.h"
#include "modules/audit/store.h"
#include "modules/signatures/store.h"
#include "services/internal.h"

namespace chancery::services {

namespace json = boost::json;

namespace {

Result<std::vector<merkle::Hash>> DecodeLeaves(const std::vector<std::string>& hex) {
  std::vector<merkle::Hash> out(hex.size());
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (!merkle::FromHex(hex[i], &out[i])) {
      return MakeError(ErrorCode::kInternal,
                       "Audit record " + std::to_string(i) + " has a malformed leaf hash.");
    }
  }
  return out;
}

std::vector<std::string> EncodePath(const std::vector<merkle::Hash>& path) {
  std::vector<std::string> out;
  for (const auto& h : path) out.push_back(merkle::ToHex(h));
  return out;
}

}  // namespace

// ---------------------------------------------------------------- audit

Result<std::vector<audit::AuditEntry>> AuditService::ListAudit(const Actor& actor,
                                                               const audit::AuditQuery& q) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  std::vector<audit::AuditEntry> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, audit::Store(tx).ListAudit(q));
    // A record about a document above the reader's clearance shows who did
    // what, when, to which object, but not its content; its leaf hash and
    // the tree head stay, so the chain still verifies.
    std::map<Id, Classification> level;
    for (auto& e : out) {
      std::error_code ec;
      json::value rec = json::parse(e.record, ec);
      if (ec || !rec.is_object()) continue;
      std::optional<Id> doc;
      if (e.object_type == "document") doc = e.object_id;
      if (const auto* details = rec.as_object().if_contains("details");
          !doc && details && details->is_object()) {
        if (const auto* v = details->as_object().if_contains("document_id"); v && v->is_int64()) {
          doc = v->as_int64();
        }
      }
      if (!doc) continue;
      auto it = level.find(*doc);
      if (it == level.end()) {
        auto d = documents::Store(tx).GetDocument(*doc);
        it = level.emplace(*doc, d.ok() ? d->classification : Classification::kNormal).first;
      }
      if (actor.MayRead(it->second)) continue;
      json::object& o = rec.as_object();
      o.erase("details");
      o["redacted"] = "above_clearance";
      e.record = json::serialize(o);
      e.redacted = true;
    }
    return Ok();
  }));
  return out;
}

Result<std::pair<std::int64_t, std::string>> AuditService::AuditHead(const Actor& actor) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  std::pair<std::int64_t, std::string> out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(out, audit::Store(tx).AuditHead());
    return Ok();
  }));
  return out;
}

Result<InclusionProof> AuditService::AuditInclusion(const Actor& actor, std::int64_t seq,
                                                    std::optional<std::int64_t> tree_size) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  InclusionProof out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto head, audit::Store(tx).AuditHead());
    const std::int64_t size = tree_size.value_or(head.first);
    if (size < 1 || size > head.first) {
      return Error::Invalid("tree_size", "out_of_range",
                            "1 to " + std::to_string(head.first) + ".");
    }
    if (seq < 0 || seq >= size) {
      return Error::Invalid("seq", "out_of_range", "The record is not in that tree.");
    }
    CHY_TRY(auto hex, audit::Store(tx).AuditLeafHashes(size));
    CHY_TRY(auto leaves, DecodeLeaves(hex));
    out.seq = seq;
    out.tree_size = size;
    out.leaf_hash = hex[seq];
    out.root = merkle::ToHex(merkle::RootOf(leaves));
    out.path = EncodePath(merkle::InclusionProof(leaves, static_cast<std::uint64_t>(seq)));
    return Ok();
  }));
  return out;
}

Result<ConsistencyProof> AuditService::AuditConsistency(const Actor& actor, std::int64_t from_size,
                                                        std::optional<std::int64_t> to_size) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  ConsistencyProof out;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto head, audit::Store(tx).AuditHead());
    const std::int64_t to = to_size.value_or(head.first);
    if (to < 1 || to > head.first) {
      return Error::Invalid("to", "out_of_range", "1 to " + std::to_string(head.first) + ".");
    }
    if (from_size < 1 || from_size > to) {
      return Error::Invalid("from", "out_of_range", "1 to " + std::to_string(to) + ".");
    }
    CHY_TRY(auto hex, audit::Store(tx).AuditLeafHashes(to));
    CHY_TRY(auto leaves, DecodeLeaves(hex));
    out.from_size = from_size;
    out.to_size = to;
    out.from_root =
        merkle::ToHex(merkle::RootOf(std::span<const merkle::Hash>(leaves.data(), from_size)));
    out.to_root = merkle::ToHex(merkle::RootOf(leaves));
    out.path = EncodePath(merkle::ConsistencyProof(leaves, static_cast<std::uint64_t>(from_size)));
    return Ok();
  }));
  return out;
}

Result<AuditVerifyReport> AuditService::VerifyAudit(const Actor& actor) {
  CHY_TRY_STATUS(RequireRoles(actor, kRoleSecurity));
  AuditVerifyReport report;
  CHY_TRY_STATUS(store_.Read([&](store::Tx& tx) -> Status {
    CHY_TRY(auto head, audit::Store(tx).AuditHead());
    CHY_TRY(auto signed_heads, signatures::Store(tx).ListTreeHeads(1000000));
    std::map<std::int64_t, signatures::TreeHead> heads;
    for (auto& h : signed_heads) heads.emplace(h.tree_size, std::move(h));
    merkle::CompactTree tree;
    constexpr std::int64_t kBatch = 4096;
    std::int64_t expected = 0;
    auto fail = [&](std::int64_t seq, std::string problem) {
      report.ok = false;
      report.first_bad_seq = seq;
      report.problem = std::move(problem);
    };
    for (std::int64_t from = 0; report.ok; from += kBatch) {
      CHY_TRY(auto batch, audit::Store(tx).AuditRange(from, from + kBatch));
      for (const auto& e : batch) {
        if (e.seq != expected) {
          // A hole in the sequence: records were removed.
          fail(expected, "missing");
          break;
        }
        const merkle::Hash leaf = merkle::LeafHash(std::to_string(e.seq) + "\n" + e.record);
        merkle::Hash stored;
        if (!merkle::FromHex(e.leaf_hash, &stored) || stored != leaf) {
          // The record's bytes no longer hash to what was appended: altered,
          // or moved from another position (the position is hashed too).
          fail(e.seq, "altered");
          break;
        }
        tree.Append(leaf);
        if (merkle::ToHex(tree.Root()) != e.root_after) {
          fail(e.seq, "reordered");
          break;
        }
        ++expected;
        // A signed head at this size must name this root, under the node's signature.
        if (auto h = heads.find(expected); h != heads.end()) {
          if (Status checked = signatures_.CheckTreeHead(tx, h->second, merkle::ToHex(tree.Root()));
              !checked.ok()) {
            fail(e.seq, "tree head " + std::to_string(expected) + ": " +
                            (checked.error().fields.empty() ? checked.error().message
                                                            : checked.error().fields[0].message));
            break;
          }
          ++report.tree_heads_checked;
        }
      }
      if (static_cast<std::int64_t>(batch.size()) < kBatch) break;
    }
    report.size = expected;
    report.root = merkle::ToHex(tree.Root());
    if (report.ok && (expected != head.first || report.root != head.second)) {
      // Trailing records were removed, or the head itself was rewritten.
      fail(expected, expected < head.first ? "missing" : "head mismatch");
    }
    return Ok();
  }));
  return report;
}

}  // namespace chancery::services
