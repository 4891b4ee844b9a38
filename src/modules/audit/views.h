// JSON views of the audit module's objects, shared with the modules that show them.
#pragma once

#include <boost/json/object.hpp>

#include "modules/audit/service.h"
#include "modules/audit/store.h"

namespace chancery::audit {

boost::json::object AuditView(const audit::AuditEntry& e);

}  // namespace chancery::audit
