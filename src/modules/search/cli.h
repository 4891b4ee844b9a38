// `chancery search …` and `chancery legal import …`.
#pragma once

#include "modules/search/service.h"
#include "services/commands.h"

namespace chancery::search {

void AddCommands(services::Commands& c, services::ServiceOf<services::SearchService> service);

}  // namespace chancery::search
