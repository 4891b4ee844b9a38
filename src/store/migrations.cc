#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations StoreMigrations() {
  return {"store",
          {
#include "migrations/store.inc"
          }};
}

std::vector<sql::ModuleMigrations> AllMigrations() {
  return {StoreMigrations(),     OrgMigrations(),        AuditMigrations(),
          DocumentsMigrations(), SignaturesMigrations(), ExchangeMigrations()};
}

}  // namespace chancery::store
