// The exchange module's schema steps, in order (migrations/NNN_name.sql).
#include "store/migrations.h"

namespace chancery::store {

sql::ModuleMigrations ExchangeMigrations() {
  return {"exchange",
          {
#include "migrations/exchange.inc"
          }};
}

}  // namespace chancery::store
