// Internal to src/hyperparams: which files of a tree are configs for a ParamQuery, and config
// blobs parsed once each (cached by blob id).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "git/repo.h"
#include "git/selected_files.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/param_history.h"

namespace gitmodel {

// Selects the query's explicit files, else files matching its config globs; either way only
// names with a config extension (ConfigFormatForPath).
class QuerySelector : public PathSelector {
 public:
  explicit QuerySelector(const ParamQuery& query) : query_(query) {}
  bool Selects(std::string_view path) const override;
  bool MayContain(std::string_view dir) const override;

 private:
  bool Decide(std::string_view path, bool dir) const;

  const ParamQuery& query_;
  mutable std::map<std::string, bool, std::less<>> files_, dirs_;  // memo: paths repeat in every commit
};

struct ParsedConfig {
  std::optional<std::string> error;  // "<path>:<line>:<column>: ..." when it does not parse
  FlatParams params;
};

class ConfigBlobs {
 public:
  explicit ConfigBlobs(const GitRepo& repo) : repo_(repo) {}

  // Parses every (path, blob id) not parsed yet, in parallel; blob reads stay on this thread.
  // The path decides the format and names the file in errors.
  Status ParseAll(const std::vector<std::pair<std::string, std::string>>& files);

  // The parsed blob; ParseAll must have seen it (else an empty config).
  const ParsedConfig& Get(const std::string& blob_id) const;

 private:
  const GitRepo& repo_;
  std::map<std::string, ParsedConfig> parsed_;  // blob id -> parsed
};

}  // namespace gitmodel
