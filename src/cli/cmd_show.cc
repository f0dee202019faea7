// git model show FILE [--json] [--code] [--patch]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/render_record.h"
#include "gitmodel/checkpoint.h"
#include "provenance/record_lookup.h"
#include "provenance/recorded_code.h"

namespace gitmodel::cli {
namespace {

struct ShowArgs {
  std::string file;
  bool json = false, code = false, patch = false;
};

nlohmann::json FlatJson(const FlatParams& params) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : params) out[key] = value;
  return out;
}

// What the training script saved, in the shape of the record's own fields.
nlohmann::json CheckpointMetadataToJson(const CheckpointMetadata& meta) {
  nlohmann::json out = {{"hyperparams", FlatJson(meta.hyperparams)}, {"training", FlatJson(meta.training)}};
  if (!meta.hyperparams_source.empty()) out["hyperparams_source"] = meta.hyperparams_source;
  if (meta.git.present) {
    out["git"] = {{"commit", meta.git.commit}, {"branch", meta.git.branch}, {"describe", meta.git.describe}};
    out["git"]["dirty"] = meta.git.dirty ? nlohmann::json(*meta.git.dirty) : nlohmann::json(nullptr);
  }
  if (!meta.torch_version.empty()) out["torch_version"] = meta.torch_version;
  if (meta.cuda_available) out["cuda_available"] = *meta.cuda_available;
  return out;
}

std::optional<CheckpointMetadata> MetadataOf(const std::string& file) {
  auto checkpoint = Checkpoint::Open(file);
  if (!checkpoint.ok()) return std::nullopt;
  return ReadCheckpointMetadata(**checkpoint);
}

nlohmann::json ShowJson(const ShowArgs& args, const std::optional<FoundRecord>& found,
                        const std::optional<CheckpointMetadata>& meta) {
  nlohmann::json out = {{"path", args.file}, {"record", nullptr}};
  if (found) {
    out["record"] = RecordToJson(found->record);
    out["origin"] = found->origin;
  }
  if (meta) out["checkpoint"] = CheckpointMetadataToJson(*meta);
  return out;
}

int PrintOrFail(const Result<std::string>& text) {
  if (!text.ok()) {
    PrintError(text.status().message());
    return kExitError;
  }
  fmt::print("{}", *text);
  return kExitOk;
}

int RunShow(const ShowArgs& args) {
  auto found = FindRecord(args.file);
  if (!found.ok()) {
    PrintError(found.status().message());
    return kExitError;
  }
  if (args.patch || args.code) {
    if (!*found) {
      PrintError(fmt::format("{}: no provenance record", args.file));
      return kExitError;
    }
    return PrintOrFail(args.patch ? RecordedPatch((*found)->record.git) : RecordedCommitAndPatch((*found)->record.git));
  }
  std::optional<CheckpointMetadata> meta = MetadataOf(args.file);
  if (args.json) {
    fmt::print("{}\n", JsonLine(ShowJson(args, *found, meta)));
    return *found || (meta && !MetadataText(*meta).empty()) ? kExitOk : kExitNegative;
  }
  fmt::print("{}\n", Safe(args.file));
  std::string saved = meta ? MetadataText(*meta) : "";
  if (*found) fmt::print("  record       {}\n{}", Safe((*found)->origin), RecordText((*found)->record, args.file));
  else fmt::print("  record       none{}\n", saved.empty() ? " (stamp it with 'git model stamp')" : "");
  if (!saved.empty()) fmt::print("  saved by the training script\n{}", saved);
  return *found || !saved.empty() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupShow(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<ShowArgs>();
  sub.add_option("file", args->file, "A checkpoint, or a record file (FILE.git-model.json)")->required();
  sub.add_flag("--json", args->json, "The record (and what the checkpoint itself saved) as one JSON document");
  sub.add_flag("--code", args->code, "Show the recorded commit (like git show) and then the uncommitted patch");
  sub.add_flag("--patch", args->patch, "Print the recorded uncommitted patch alone, for 'git apply'");
  sub.callback([args, exit_code] { *exit_code = RunShow(*args); });
}

}  // namespace gitmodel::cli
