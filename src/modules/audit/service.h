// The audit module's use cases. The audit log: entries, head, Merkle proofs and verification.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "modules/audit/store.h"
#include "modules/signatures/service.h"

namespace chancery::services {

struct AuditVerifyReport {
  bool ok = true;
  int tree_heads_checked = 0;  // signed heads whose root and signature were checked
  std::int64_t size = 0;
  std::string root;
  std::optional<std::int64_t> first_bad_seq;
  std::string problem;  // "altered", "missing", "reordered", "head mismatch"
};

struct InclusionProof {
  std::int64_t seq = 0;
  std::int64_t tree_size = 0;
  std::string leaf_hash;
  std::string root;
  std::vector<std::string> path;
};

struct ConsistencyProof {
  std::int64_t from_size = 0;
  std::int64_t to_size = 0;
  std::string from_root;
  std::string to_root;
  std::vector<std::string> path;
};

class AuditService : public Core {
 public:
  AuditService(const Core& core, SignatureService& signatures)
      : Core(core), signatures_(signatures) {}

  // ---- Audit ----
  Result<std::vector<audit::AuditEntry>> ListAudit(const Actor& actor, const audit::AuditQuery& q);
  Result<std::pair<std::int64_t, std::string>> AuditHead(const Actor& actor);
  Result<InclusionProof> AuditInclusion(const Actor& actor, std::int64_t seq,
                                        std::optional<std::int64_t> tree_size);
  Result<ConsistencyProof> AuditConsistency(const Actor& actor, std::int64_t from_size,
                                            std::optional<std::int64_t> to_size);
  // Recomputes every leaf and tree head; names the first record that does not
  // match. `chancery audit verify` asks as the console operator.
  Result<AuditVerifyReport> VerifyAudit(const Actor& actor);

  // ---- for the modules above this one ----

 private:
  SignatureService& signatures_;
};

}  // namespace chancery::services
