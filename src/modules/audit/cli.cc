#include "modules/audit/cli.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace chancery::audit {

using services::Actor;
using services::AuditService;
using services::Fail;

void AddCommands(services::Commands& c, services::ServiceOf<services::AuditService> service,
                 services::ServiceOf<services::SignatureService> signatures) {
  CLI::App* audit = c.Group("audit", "Audit log");
  c.Add(audit, "verify", "Recompute the Merkle tree of the log", false, service,
        [](AuditService& s, const Actor*) {
          auto r = s.VerifyAudit(services::ConsoleOperator());
          if (!r.ok()) return Fail(r.error());
          if (r->ok) {
            std::cout << "audit log ok: " << r->size << " records, root " << r->root << ", "
                      << r->tree_heads_checked << " signed tree heads checked\n";
            return 0;
          }
          std::cout << "audit log BROKEN at record " << *r->first_bad_seq << ": " << r->problem
                    << "\n";
          return 2;
        });
  c.Add(audit, "sign-head", "Sign the log's current tree head now", false, signatures,
        [](services::SignatureService& s, const Actor*) {
          auto r = s.SignTreeHead(services::ConsoleOperator());
          if (!r.ok()) return Fail(r.error());
          std::cout << "signed tree head: " << r->tree_size << " records, root " << r->root << "\n";
          return 0;
        });
}

}  // namespace chancery::audit
