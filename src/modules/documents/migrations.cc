// The documents module's schema steps, in order (migrations/NNN_name.sql).
#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations DocumentsMigrations() {
  return {"documents",
          {
#include "migrations/documents.inc"
          }};
}

}  // namespace chancery::store
