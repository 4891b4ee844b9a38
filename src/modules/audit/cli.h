// `chancery audit …`.
#pragma once

#include "services/commands.h"

namespace chancery::audit {

void AddCommands(services::Commands& commands);

}  // namespace chancery::audit
