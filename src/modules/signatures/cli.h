// `chancery pki …` and `chancery verify`.
#pragma once

#include "modules/signatures/service.h"
#include "services/commands.h"

namespace chancery::signatures {

void AddCommands(services::Commands& commands,
                 services::ServiceOf<services::SignatureService> service);

}  // namespace chancery::signatures
