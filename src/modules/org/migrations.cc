// The org module's schema steps, in order (migrations/NNN_name.sql).
#include "modules/org/store.h"

namespace chancery::org {

sql::ModuleMigrations Migrations() {
  sql::ModuleMigrations m{"org",
                          {
#include "migrations/org.inc"
                          }};
  for (sql::Migration& step : m.steps) {
    if (step.name == "002_people_index") step.code = IndexAllPeople;
  }
  return m;
}

}  // namespace chancery::org
