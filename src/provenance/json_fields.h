// Strict, typed reads of optional fields from an untrusted JSON object.
//
// A missing (or null) field leaves the output untouched and is not an error; a field of the wrong
// type is Corrupt, naming the field by its dotted path ("git.commit: expected a string").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

// Writers share the convention that unknown values are omitted: sets `out[key]` only when
// `value` is not empty.
void PutIfNotEmpty(nlohmann::json& out, const char* key, const std::string& value);

class JsonFields {
 public:
  // `object` must outlive this reader. `context` prefixes field names in errors ("" at the root).
  JsonFields(const nlohmann::json& object, std::string context)
      : object_(object), context_(std::move(context)) {}

  // Corrupt unless the value itself is an object.
  Status RequireObject() const;
  bool Has(std::string_view key) const;
  const nlohmann::json* Find(std::string_view key) const;  // nullptr when missing or null

  Status String(std::string_view key, std::string* out) const;
  Status Bool(std::string_view key, bool* out) const;
  Status UInt(std::string_view key, uint64_t* out) const;
  Status Int(std::string_view key, int* out) const;
  Status StringList(std::string_view key, std::vector<std::string>* out) const;
  Status NumberMap(std::string_view key, std::map<std::string, double>* out) const;
  Status StringMap(std::string_view key, std::map<std::string, std::string>* out) const;

  // The dotted name of `key` in errors and nested readers.
  std::string Path(std::string_view key) const;

 private:
  Status WrongType(std::string_view key, std::string_view expected) const;
  const nlohmann::json& object_;
  std::string context_;
};

}  // namespace gitmodel
