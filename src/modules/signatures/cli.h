// `chancery pki …` and `chancery verify`.
#pragma once

#include "services/commands.h"

namespace chancery::signatures {

void AddCommands(services::Commands& commands);

}  // namespace chancery::signatures
