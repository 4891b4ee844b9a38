// Every module's numbered schema steps, in the order they apply (a module's
// tables may reference the tables of the modules before it).
#pragma once

#include <vector>

#include "lib/sql/migrations.h"

namespace chancery::store {

sql::ModuleMigrations StoreMigrations();  // meta, idempotency keys
sql::ModuleMigrations OrgMigrations();
sql::ModuleMigrations AuditMigrations();
sql::ModuleMigrations DocumentsMigrations();
sql::ModuleMigrations SignaturesMigrations();
sql::ModuleMigrations ExchangeMigrations();

std::vector<sql::ModuleMigrations> AllMigrations();

}  // namespace chancery::store
