#include "provenance/json_fields.h"

namespace gitmodel {

void PutIfNotEmpty(nlohmann::json& out, const char* key, const std::string& value) {
  if (!value.empty()) out[key] = value;
}

Status JsonFields::RequireObject() const {
  if (object_.is_object()) return OkStatus();
  return Corrupt("{}: expected an object", context_.empty() ? "record" : context_);
}

bool JsonFields::Has(std::string_view key) const { return Find(key) != nullptr; }

const nlohmann::json* JsonFields::Find(std::string_view key) const {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string JsonFields::Path(std::string_view key) const {
  return context_.empty() ? std::string(key) : fmt::format("{}.{}", context_, key);
}

Status JsonFields::WrongType(std::string_view key, std::string_view expected) const {
  return Corrupt("record field {}: expected {}", Path(key), expected);
}

Status JsonFields::String(std::string_view key, std::string* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_string()) return WrongType(key, "a string");
  *out = v->get<std::string>();
  return OkStatus();
}

Status JsonFields::Bool(std::string_view key, bool* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_boolean()) return WrongType(key, "true or false");
  *out = v->get<bool>();
  return OkStatus();
}

Status JsonFields::UInt(std::string_view key, uint64_t* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_number_unsigned()) return WrongType(key, "a non-negative integer");
  *out = v->get<uint64_t>();
  return OkStatus();
}

Status JsonFields::Int(std::string_view key, int* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_number_integer()) return WrongType(key, "an integer");
  int64_t value = v->get<int64_t>();
  if (value < INT32_MIN || value > INT32_MAX) return WrongType(key, "a 32-bit integer");
  *out = static_cast<int>(value);
  return OkStatus();
}

Status JsonFields::StringList(std::string_view key, std::vector<std::string>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_array()) return WrongType(key, "a list of strings");
  out->clear();
  for (const auto& item : *v) {
    if (!item.is_string()) return WrongType(key, "a list of strings");
    out->push_back(item.get<std::string>());
  }
  return OkStatus();
}

Status JsonFields::NumberMap(std::string_view key, std::map<std::string, double>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_object()) return WrongType(key, "an object of numbers");
  for (const auto& [name, value] : v->items()) {
    if (!value.is_number()) return WrongType(fmt::format("{}.{}", key, name), "a number");
    (*out)[name] = value.get<double>();
  }
  return OkStatus();
}

Status JsonFields::StringMap(std::string_view key, std::map<std::string, std::string>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return OkStatus();
  if (!v->is_object()) return WrongType(key, "an object of strings");
  for (const auto& [name, value] : v->items()) {
    if (!value.is_string()) return WrongType(fmt::format("{}.{}", key, name), "a string");
    (*out)[name] = value.get<std::string>();
  }
  return OkStatus();
}

}  // namespace gitmodel
