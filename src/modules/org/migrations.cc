// The org module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/org/store.h"

namespace chancery::org {

sql::ModuleMigrations Migrations() {
  return {"org",
          {
#include "migrations/org.inc"
          }};
}

}  // namespace chancery::org
