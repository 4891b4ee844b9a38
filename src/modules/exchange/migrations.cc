// The exchange module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/exchange/store.h"

namespace chancery::exchange {

sql::ModuleMigrations Migrations() {
  return {"exchange",
          {
#include "migrations/exchange.inc"
          }};
}

}  // namespace chancery::exchange
