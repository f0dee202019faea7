// EnvToJson / EnvFromJson (declared in env_info.h).
#include "provenance/env_info.h"
#include "provenance/json_fields.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr size_t kMaxGpus = 4096;

struct StringField {
  const char* key;
  std::string EnvInfo::*member;
};
constexpr StringField kStrings[] = {
    {"os", &EnvInfo::os}, {"kernel", &EnvInfo::kernel}, {"arch", &EnvInfo::arch}, {"cpu", &EnvInfo::cpu},
    {"hostname", &EnvInfo::hostname}, {"driver", &EnvInfo::driver}, {"cuda", &EnvInfo::cuda},
    {"cuda_toolkit", &EnvInfo::cuda_toolkit}, {"cudnn", &EnvInfo::cudnn}, {"python", &EnvInfo::python},
    {"torch", &EnvInfo::torch}, {"torch_cuda", &EnvInfo::torch_cuda}, {"torch_cudnn", &EnvInfo::torch_cudnn},
    {"torch_source", &EnvInfo::torch_source}};

json GpuToJson(const GpuInfo& gpu) {
  json out = json::object();
  PutIfNotEmpty(out, "name", gpu.name);
  if (gpu.memory_bytes > 0) out["memory_bytes"] = gpu.memory_bytes;
  PutIfNotEmpty(out, "uuid", gpu.uuid);
  return out;
}

json ContainerToJson(const ContainerInfo& c) {
  json out = json::object();
  PutIfNotEmpty(out, "runtime", c.runtime);
  PutIfNotEmpty(out, "image", c.image);
  PutIfNotEmpty(out, "image_digest", c.image_digest);
  PutIfNotEmpty(out, "id", c.id);
  return out;
}

Status GpusFromJson(const JsonFields& f, std::vector<GpuInfo>* out) {
  const json* list = f.Find("gpus");
  if (list == nullptr) return OkStatus();
  if (!list->is_array()) return Corrupt("record field {}: expected a list", f.Path("gpus"));
  if (list->size() > kMaxGpus) return Corrupt("record field {}: more than {} GPUs", f.Path("gpus"), kMaxGpus);
  for (size_t i = 0; i < list->size(); ++i) {
    JsonFields g((*list)[i], fmt::format("{}.{}", f.Path("gpus"), i));
    GM_RETURN_IF_ERROR(g.RequireObject());
    GpuInfo& gpu = out->emplace_back();
    GM_RETURN_IF_ERROR(g.String("name", &gpu.name));
    GM_RETURN_IF_ERROR(g.UInt("memory_bytes", &gpu.memory_bytes));
    GM_RETURN_IF_ERROR(g.String("uuid", &gpu.uuid));
  }
  return OkStatus();
}

Status ContainerFromJson(const JsonFields& f, ContainerInfo* out) {
  const json* c = f.Find("container");
  if (c == nullptr) return OkStatus();
  JsonFields cf(*c, f.Path("container"));
  GM_RETURN_IF_ERROR(cf.RequireObject());
  GM_RETURN_IF_ERROR(cf.String("runtime", &out->runtime));
  GM_RETURN_IF_ERROR(cf.String("image", &out->image));
  GM_RETURN_IF_ERROR(cf.String("image_digest", &out->image_digest));
  return cf.String("id", &out->id);
}

}  // namespace

json EnvToJson(const EnvInfo& env) {
  json out = json::object();
  for (const StringField& f : kStrings) PutIfNotEmpty(out, f.key, env.*f.member);
  if (env.cpu_cores > 0) out["cpu_cores"] = env.cpu_cores;
  if (env.memory_bytes > 0) out["memory_bytes"] = env.memory_bytes;
  for (const GpuInfo& gpu : env.gpus) out["gpus"].push_back(GpuToJson(gpu));
  if (json c = ContainerToJson(env.container); !c.empty()) out["container"] = std::move(c);
  return out;
}

Result<EnvInfo> EnvFromJson(const json& j) {
  JsonFields f(j, "env");
  GM_RETURN_IF_ERROR(f.RequireObject());
  EnvInfo env;
  for (const StringField& field : kStrings) GM_RETURN_IF_ERROR(f.String(field.key, &(env.*field.member)));
  GM_RETURN_IF_ERROR(f.Int("cpu_cores", &env.cpu_cores));
  if (env.cpu_cores < 0) return Corrupt("record field {}: expected a non-negative integer", f.Path("cpu_cores"));
  GM_RETURN_IF_ERROR(f.UInt("memory_bytes", &env.memory_bytes));
  GM_RETURN_IF_ERROR(GpusFromJson(f, &env.gpus));
  GM_RETURN_IF_ERROR(ContainerFromJson(f, &env.container));
  return env;
}

}  // namespace gitmodel
