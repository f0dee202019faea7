// Text and JSON for `git model bisect`'s answer (src/report/bisect_result.h; docs/report.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/bisect_result.h"

namespace gitmodel::cli {

std::string BisectText(const BisectResult& result);
nlohmann::json BisectJson(const BisectResult& result);

}  // namespace gitmodel::cli
