// Row ids: positive 64-bit integers, the same on SQLite and PostgreSQL.
#pragma once

#include <cstdint>

namespace chancery {

using Id = std::int64_t;

}  // namespace chancery
