// The audit module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/audit/store.h"

namespace chancery::audit {

sql::ModuleMigrations Migrations() {
  return {"audit",
          {
#include "migrations/audit.inc"
          }};
}

}  // namespace chancery::audit
