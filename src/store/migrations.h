// The store's own schema steps (meta, idempotency keys). Each module
// declares its own in its store.h; src/app/schema.h lists them all in the
// order they apply.
#pragma once

#include "lib/sql/migrations.h"

namespace chancery::store {

sql::ModuleMigrations Migrations();

}  // namespace chancery::store
