// The documents module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/documents/store.h"

namespace chancery::documents {

sql::ModuleMigrations Migrations() {
  return {"documents",
          {
#include "migrations/documents.inc"
          }};
}

}  // namespace chancery::documents
