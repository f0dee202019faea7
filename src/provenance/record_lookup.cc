#include "provenance/record_lookup.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/atomic_file.h"
#include "base/file_sha256.h"
#include "git/repo.h"
#include "gitmodel/checkpoint.h"
#include "provenance/embed.h"
#include "provenance/fingerprint.h"
#include "provenance/record_index.h"

namespace gitmodel {
namespace {

constexpr std::string_view kSchemaKey = "\"schema\"";

Result<FoundRecord> Parsed(std::string json, std::string origin, bool from_index) {
  GM_ASSIGN_OR_RETURN(ProvenanceRecord record, ParseRecord(json));
  return FoundRecord{std::move(record), std::move(json), std::move(origin), from_index};
}

std::string GitModelDirOf(const std::string& path) {
  auto repo = DiscoverRepo(path);
  return repo.ok() && repo->has_value() ? GitModelDir(**repo) : "";
}

std::vector<std::string> CandidateIndexes(const std::string& path) {
  std::vector<std::string> out;
  for (const std::string& dir : {GitModelDirOf(path), GitModelDirOf("."), std::string()}) {
    std::string db = RecordIndexPath(dir);
    if (std::find(out.begin(), out.end(), db) == out.end() && std::filesystem::exists(db)) out.push_back(db);
  }
  return out;
}

Result<std::optional<FoundRecord>> FromIndexes(const std::string& path) {
  std::vector<std::string> indexes = CandidateIndexes(path);
  if (indexes.empty()) return std::optional<FoundRecord>();
  GM_ASSIGN_OR_RETURN(Digest file_digest, FileSha256(path));
  for (const std::string& db : indexes) {
    GM_ASSIGN_OR_RETURN(RecordIndex index, RecordIndex::Open(db));
    GM_ASSIGN_OR_RETURN(auto hit, index.FindByFileHash(ToHex(file_digest)));
    if (!hit) continue;
    GM_ASSIGN_OR_RETURN(FoundRecord found,
                        Parsed(hit->record_json, fmt::format("index {} (same file as {})", db, hit->path), true));
    return std::optional(std::move(found));
  }
  GM_ASSIGN_OR_RETURN(auto checkpoint, Checkpoint::Open(path));
  GM_ASSIGN_OR_RETURN(Digest fingerprint, WeightsFingerprint(*checkpoint));
  for (const std::string& db : indexes) {
    GM_ASSIGN_OR_RETURN(RecordIndex index, RecordIndex::Open(db));
    GM_ASSIGN_OR_RETURN(auto hits, index.FindByFingerprint(ToHex(fingerprint)));
    if (hits.empty()) continue;
    GM_ASSIGN_OR_RETURN(FoundRecord found, Parsed(hits.front().record_json,
        fmt::format("index {} (same weights as {})", db, hits.front().path), true));
    return std::optional(std::move(found));
  }
  return std::optional<FoundRecord>();
}

// The text of `path` when it is a record document (a .json file naming the schema), read once.
std::optional<std::string> RecordFileText(const std::string& path) {
  if (std::filesystem::path(path).extension() != ".json") return std::nullopt;
  auto text = ReadSmallFile(path, kMaxRecordBytes);
  if (!text.ok() || text->find(kSchemaKey) == std::string::npos ||
      text->find(kProvenanceSchema.substr(0, 21)) == std::string::npos) {
    return std::nullopt;
  }
  return std::move(*text);
}

}  // namespace

bool LooksLikeRecordFile(const std::string& path) { return RecordFileText(path).has_value(); }

Result<std::optional<FoundRecord>> FindRecord(const std::string& path) {
  if (std::optional<std::string> text = RecordFileText(path)) {
    GM_ASSIGN_OR_RETURN(FoundRecord found, Parsed(std::move(*text), "record file " + path, false));
    return std::optional(std::move(found));
  }
  GM_ASSIGN_OR_RETURN(EmbeddedRecord embedded, ReadEmbeddedRecord(path));
  if (embedded.location != RecordLocation::kNone) {
    std::string origin = embedded.location == RecordLocation::kSidecar ? "sidecar " + embedded.where
                                                                          : "embedded in " + embedded.where;
    auto found = Parsed(std::move(embedded.json), origin, false);
    if (!found.ok()) return found.status().WithContext(fmt::format("{}: record {}", path, origin));
    return std::optional(std::move(found).value());
  }
  return FromIndexes(path);
}

}  // namespace gitmodel
