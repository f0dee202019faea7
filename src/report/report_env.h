// The report's Environment section: which versions (torch, CUDA, driver, image...) the period's
// runs had, and where each new value first appeared.
#pragma once

#include <string>
#include <vector>

#include "provenance/env_info.h"
#include "report/change_report.h"

namespace gitmodel {

struct RunEnvironment {
  std::string run_id;
  ReportCommit commit;
  EnvInfo env;
};

// Over `runs` (oldest first): fields that took several values go to `changed`, fields with one
// value to `unchanged`; fields no run recorded are left out. Fields, in order: torch, torch_cuda,
// cuda, cuda_toolkit, cudnn, driver, python, gpu ("2 x NVIDIA A100-SXM4-80GB"), image, os.
void EnvironmentChanges(const std::vector<RunEnvironment>& runs, std::vector<EnvChange>& changed,
                        std::vector<EnvUnchanged>& unchanged);

}  // namespace gitmodel
