// `chancery doc …`.
#pragma once

#include "modules/documents/service.h"
#include "services/commands.h"

namespace chancery::documents {

void AddCommands(services::Commands& commands,
                 services::ServiceOf<services::DocumentService> service);

}  // namespace chancery::documents
