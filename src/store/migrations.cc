#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations Migrations() {
  return {"store",
          {
#include "migrations/store.inc"
          }};
}

}  // namespace chancery::store
