// The org module's schema steps, in order (migrations/NNN_name.sql).
#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations OrgMigrations() {
  return {"org",
          {
#include "migrations/org.inc"
          }};
}

}  // namespace chancery::store
