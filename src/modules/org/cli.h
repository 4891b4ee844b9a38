// `chancery unit …` and `chancery user …`.
#pragma once

#include "modules/org/service.h"
#include "services/commands.h"

namespace chancery::org {

void AddCommands(services::Commands& commands, services::ServiceOf<services::OrgService> service);

}  // namespace chancery::org
