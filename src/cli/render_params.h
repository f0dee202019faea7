// Text and JSON for hyperparameter history: commit headers, `key: old -> new` lines.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "git/file_history.h"
#include "hyperparams/param_history.h"

namespace gitmodel::cli {

// "<short id> <YYYY-MM-DD> <author> <subject>" (the date in the author's time zone).
std::string CommitHeadline(const CommitMeta& commit);

// The file changes of one commit (or one revision pair) as indented lines: a file line when there
// are several files, a rename or an error; then "key: old -> new" with the values aligned.
std::string FileChangesText(const std::vector<FileParamChanges>& files, int indent);

// "2026-01-02T15:04:05+01:00"
std::string CommitDate(const CommitMeta& commit);

nlohmann::json CommitJson(const CommitMeta& commit);
nlohmann::json ChangeJson(const ParamChange& change);
nlohmann::json FileChangesJson(const std::vector<FileParamChanges>& files);

}  // namespace gitmodel::cli
