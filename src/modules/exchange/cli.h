// `chancery exchange …`.
#pragma once

#include "services/commands.h"

namespace chancery::exchange {

void AddCommands(services::Commands& commands);

}  // namespace chancery::exchange
