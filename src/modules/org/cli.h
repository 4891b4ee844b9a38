// `chancery unit …` and `chancery user …`.
#pragma once

#include "services/commands.h"

namespace chancery::org {

void AddCommands(services::Commands& commands);

}  // namespace chancery::org
