// `chancery doc …`.
#pragma once

#include "services/commands.h"

namespace chancery::documents {

void AddCommands(services::Commands& commands);

}  // namespace chancery::documents
