// `chancery exchange …`.
#pragma once

#include "modules/exchange/service.h"
#include "services/commands.h"

namespace chancery::exchange {

void AddCommands(services::Commands& commands,
                 services::ServiceOf<services::ExchangeService> service);

}  // namespace chancery::exchange
