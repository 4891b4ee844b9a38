// `chancery audit …`.
#pragma once

#include "modules/audit/service.h"
#include "services/commands.h"

namespace chancery::audit {

void AddCommands(services::Commands& commands, services::ServiceOf<services::AuditService> service,
                 services::ServiceOf<services::SignatureService> signatures);

}  // namespace chancery::audit
