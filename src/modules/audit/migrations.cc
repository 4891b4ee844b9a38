// The audit module's schema steps, in order (migrations/NNN_name.sql).
#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations AuditMigrations() {
  return {"audit",
          {
#include "migrations/audit.inc"
          }};
}

}  // namespace chancery::store
