// The signatures module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/signatures/store.h"

namespace chancery::signatures {

sql::ModuleMigrations Migrations() {
  return {"signatures",
          {
#include "migrations/signatures.inc"
          }};
}

}  // namespace chancery::signatures
