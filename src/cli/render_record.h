// Text rendering of provenance records and what training scripts saved in checkpoints.
// Every string from a file is escaped (control characters, invalid UTF-8) before printing.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hyperparams/checkpoint_metadata.h"
#include "provenance/record.h"

namespace gitmodel::cli {

using Rows = std::vector<std::pair<std::string, std::string>>;

// "  label        value" lines; labels padded to one column.
std::string LabelledLines(const Rows& rows, size_t indent = 2);

Rows EnvRows(const EnvInfo& env);
Rows GitRows(const GitSection& git, const std::string& file);
std::string HyperparamLines(const FlatParams& params, const std::map<std::string, std::string>& sources,
                            size_t indent = 4);
std::string RecordText(const ProvenanceRecord& record, const std::string& file);
// Empty when the checkpoint holds none of the fields training scripts commonly save.
std::string MetadataText(const CheckpointMetadata& meta);

// Escapes control characters and invalid UTF-8 in text from an untrusted file.
std::string Safe(std::string_view text);

}  // namespace gitmodel::cli
