// Every module's numbered schema steps, in the order they apply: a module's
// tables may reference the tables of the modules before it. The one list of
// them, next to the wiring of the services (modules.h).
#pragma once

#include <vector>

#include "modules/audit/store.h"
#include "modules/documents/store.h"
#include "modules/exchange/store.h"
#include "modules/org/store.h"
#include "modules/search/store.h"
#include "modules/signatures/store.h"
#include "store/migrations.h"

namespace chancery::app {

inline std::vector<sql::ModuleMigrations> AllMigrations() {
  // The search index first: the modules above it put their entries in it.
  return {store::Migrations(),   search::Migrations(),    org::Migrations(),
          audit::Migrations(),   documents::Migrations(), signatures::Migrations(),
          exchange::Migrations()};
}

}  // namespace chancery::app
