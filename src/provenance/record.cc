#include "provenance/record.h"

#include "base/json_document.h"
#include "provenance/json_fields.h"

namespace gitmodel {
namespace {

using nlohmann::json;

// Drops empty strings, empty lists and false flags so records stay short and "unknown" is absent.
void SetIfTrue(json& out, const char* key, bool value) {
  if (value) out[key] = true;
}
void SetIfAny(json& out, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) out[key] = values;
}

json ArtifactToJson(const ArtifactInfo& a) {
  json out = {{"bytes", a.bytes}, {"tensors", a.tensors}, {"parameters", a.parameters}};
  PutIfNotEmpty(out, "path", a.path);
  PutIfNotEmpty(out, "format", a.format);
  PutIfNotEmpty(out, "fingerprint", a.fingerprint);
  if (!a.tensor_digests.empty()) out["tensor_digests"] = a.tensor_digests;
  return out;
}

json PatchToJson(const PatchInfo& p) {
  json out = {{"sha256", p.sha256}, {"bytes", p.bytes}};
  if (p.stored) out["stored"] = true;
  PutIfNotEmpty(out, "text", p.text);
  return out;
}

json GitToJson(const GitSection& g) {
  json out = {{"in_repo", g.in_repo}};
  if (!g.in_repo) return out;
  out["dirty"] = g.dirty;
  PutIfNotEmpty(out, "commit", g.commit);
  PutIfNotEmpty(out, "branch", g.branch);
  SetIfTrue(out, "detached", g.detached);
  SetIfTrue(out, "shallow", g.shallow);
  SetIfTrue(out, "commit_overridden", g.commit_overridden);
  PutIfNotEmpty(out, "describe", g.describe);
  PutIfNotEmpty(out, "remote", g.remote);
  SetIfAny(out, "changed", g.changed);
  SetIfAny(out, "untracked", g.untracked);
  if (g.patch) out["patch"] = PatchToJson(*g.patch);
  return out;
}

json ConfigToJson(const ConfigFileInfo& c) {
  return {{"path", c.path}, {"format", c.format}, {"blob", c.blob}, {"sha256", c.sha256}};
}

json RunToJson(const RunSection& r) {
  json out = json::object();
  PutIfNotEmpty(out, "id", r.id);
  PutIfNotEmpty(out, "command", r.command);
  PutIfNotEmpty(out, "start", r.start);
  PutIfNotEmpty(out, "end", r.end);
  if (r.exit_code) out["exit_code"] = *r.exit_code;
  return out;
}

Status ArtifactFromJson(const JsonFields& f, ArtifactInfo* a) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  GM_RETURN_IF_ERROR(f.String("path", &a->path));
  GM_RETURN_IF_ERROR(f.String("format", &a->format));
  GM_RETURN_IF_ERROR(f.UInt("bytes", &a->bytes));
  GM_RETURN_IF_ERROR(f.UInt("tensors", &a->tensors));
  GM_RETURN_IF_ERROR(f.UInt("parameters", &a->parameters));
  GM_RETURN_IF_ERROR(f.String("fingerprint", &a->fingerprint));
  return f.StringMap("tensor_digests", &a->tensor_digests);
}

Status PatchFromJson(const JsonFields& f, PatchInfo* p) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  GM_RETURN_IF_ERROR(f.String("sha256", &p->sha256));
  GM_RETURN_IF_ERROR(f.UInt("bytes", &p->bytes));
  GM_RETURN_IF_ERROR(f.String("text", &p->text));
  return f.Bool("stored", &p->stored);
}

Status GitFromJson(const JsonFields& f, GitSection* g) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  GM_RETURN_IF_ERROR(f.Bool("in_repo", &g->in_repo));
  GM_RETURN_IF_ERROR(f.String("commit", &g->commit));
  GM_RETURN_IF_ERROR(f.String("branch", &g->branch));
  GM_RETURN_IF_ERROR(f.Bool("detached", &g->detached));
  GM_RETURN_IF_ERROR(f.Bool("shallow", &g->shallow));
  GM_RETURN_IF_ERROR(f.Bool("commit_overridden", &g->commit_overridden));
  GM_RETURN_IF_ERROR(f.String("describe", &g->describe));
  GM_RETURN_IF_ERROR(f.Bool("dirty", &g->dirty));
  GM_RETURN_IF_ERROR(f.String("remote", &g->remote));
  GM_RETURN_IF_ERROR(f.StringList("changed", &g->changed));
  GM_RETURN_IF_ERROR(f.StringList("untracked", &g->untracked));
  if (const json* patch = f.Find("patch")) {
    g->patch.emplace();
    GM_RETURN_IF_ERROR(PatchFromJson(JsonFields(*patch, f.Path("patch")), &*g->patch));
  }
  return OkStatus();
}

Status ConfigFromJson(const JsonFields& f, std::vector<ConfigFileInfo>* out) {
  const json* list = f.Find("config");
  if (list == nullptr) return OkStatus();
  if (!list->is_array()) return Corrupt("record field config: expected a list");
  for (size_t i = 0; i < list->size(); ++i) {
    JsonFields item((*list)[i], fmt::format("config.{}", i));
    GM_RETURN_IF_ERROR(item.RequireObject());
    ConfigFileInfo& c = out->emplace_back();
    GM_RETURN_IF_ERROR(item.String("path", &c.path));
    GM_RETURN_IF_ERROR(item.String("format", &c.format));
    GM_RETURN_IF_ERROR(item.String("blob", &c.blob));
    GM_RETURN_IF_ERROR(item.String("sha256", &c.sha256));
  }
  return OkStatus();
}

Status DataListFromJson(const JsonFields& f, std::vector<DataDigest>* out) {
  const json* list = f.Find("data");
  if (list == nullptr) return OkStatus();
  if (!list->is_array()) return Corrupt("record field data: expected a list");
  for (const json& item : *list) {
    GM_ASSIGN_OR_RETURN(DataDigest digest, DataFromJson(item));
    out->push_back(std::move(digest));
  }
  return OkStatus();
}

Status RunFromJson(const JsonFields& f, RunSection* r) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  GM_RETURN_IF_ERROR(f.String("id", &r->id));
  GM_RETURN_IF_ERROR(f.String("command", &r->command));
  GM_RETURN_IF_ERROR(f.String("start", &r->start));
  GM_RETURN_IF_ERROR(f.String("end", &r->end));
  if (f.Has("exit_code")) {
    int code = 0;
    GM_RETURN_IF_ERROR(f.Int("exit_code", &code));
    r->exit_code = code;
  }
  return OkStatus();
}

Status HyperparamsFromJson(const JsonFields& f, FlatParams* out) {
  const json* params = f.Find("hyperparams");
  if (params == nullptr) return OkStatus();
  if (!params->is_object()) return Corrupt("record field hyperparams: expected an object");
  for (const auto& [key, value] : params->items()) {
    if (value.is_object()) return Corrupt("record field hyperparams.{}: expected a flat value", key);
    (*out)[key] = value;
  }
  return OkStatus();
}

Status SectionsFromJson(const JsonFields& f, ProvenanceRecord* r) {
  GM_RETURN_IF_ERROR(f.String("created", &r->created));
  GM_RETURN_IF_ERROR(f.String("tool", &r->tool));
  if (const json* a = f.Find("artifact")) GM_RETURN_IF_ERROR(ArtifactFromJson(JsonFields(*a, "artifact"), &r->artifact));
  if (const json* g = f.Find("git")) GM_RETURN_IF_ERROR(GitFromJson(JsonFields(*g, "git"), &r->git));
  GM_RETURN_IF_ERROR(HyperparamsFromJson(f, &r->hyperparams));
  GM_RETURN_IF_ERROR(f.StringMap("hyperparam_sources", &r->hyperparam_sources));
  GM_RETURN_IF_ERROR(ConfigFromJson(f, &r->config));
  if (const json* e = f.Find("env")) {
    GM_ASSIGN_OR_RETURN(r->env, EnvFromJson(*e));
  }
  GM_RETURN_IF_ERROR(DataListFromJson(f, &r->data));
  GM_RETURN_IF_ERROR(f.NumberMap("metrics", &r->metrics));
  if (const json* run = f.Find("run")) {
    r->run.emplace();
    GM_RETURN_IF_ERROR(RunFromJson(JsonFields(*run, "run"), &*r->run));
  }
  if (const json* s = f.Find("signature")) r->signature = *s;
  return OkStatus();
}

}  // namespace

json RecordToJson(const ProvenanceRecord& r) {
  json out = {{"schema", kProvenanceSchema},
              {"created", r.created},
              {"tool", r.tool},
              {"artifact", ArtifactToJson(r.artifact)},
              {"git", GitToJson(r.git)},
              {"hyperparams", json::object()},
              {"env", EnvToJson(r.env)}};
  for (const auto& [key, value] : r.hyperparams) out["hyperparams"][key] = value;
  if (!r.hyperparam_sources.empty()) out["hyperparam_sources"] = r.hyperparam_sources;
  out["config"] = json::array();
  for (const auto& c : r.config) out["config"].push_back(ConfigToJson(c));
  out["data"] = json::array();
  for (const auto& d : r.data) out["data"].push_back(DataToJson(d));
  out["metrics"] = r.metrics;
  if (r.run) out["run"] = RunToJson(*r.run);
  if (!r.signature.is_null()) out["signature"] = r.signature;
  return out;
}

std::string SerializeRecord(const ProvenanceRecord& record) {
  return RecordToJson(record).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<ProvenanceRecord> RecordFromJson(const json& j) {
  JsonFields fields(j, "");
  GM_RETURN_IF_ERROR(fields.RequireObject());
  std::string schema;
  GM_RETURN_IF_ERROR(fields.String("schema", &schema));
  if (schema.empty()) return Corrupt("not a git-model provenance record (no \"schema\" field)");
  if (schema != kProvenanceSchema) {
    return Unsupported("record schema \"{}\" is not supported (this git-model reads {})", schema,
                       kProvenanceSchema);
  }
  ProvenanceRecord record;
  GM_RETURN_IF_ERROR(SectionsFromJson(fields, &record));
  return record;
}

Result<ProvenanceRecord> ParseRecord(std::string_view text) {
  if (text.size() > kMaxRecordBytes) {
    return LimitExceeded("record of {} bytes is over the {} byte limit", text.size(), kMaxRecordBytes);
  }
  GM_ASSIGN_OR_RETURN(json j, ParseJsonDocument(text, "record"));
  return RecordFromJson(j);
}

}  // namespace gitmodel
