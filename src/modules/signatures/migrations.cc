// The signatures module's schema steps, in order (migrations/NNN_name.sql).
#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations SignaturesMigrations() {
  return {"signatures",
          {
#include "migrations/signatures.inc"
          }};
}

}  // namespace chancery::store
