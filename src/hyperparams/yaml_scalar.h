// YAML scalar typing: the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace gitmodel {

// Types a plain (unquoted, untagged) scalar: null (~ null Null NULL, empty), booleans (true True
// TRUE false False FALSE), integers (decimal with sign, 0o octal, 0x hex; beyond 64 bits the
// text is kept as a string), floats (1.5 1e-3 .5 .inf -.Inf .nan), else the string itself.
// YAML 1.1 forms (yes/no/on/off, 0777 octal, 1_000, sexagesimal, dates) stay strings.
nlohmann::json ResolvePlainYamlScalar(std::string_view text);

// Types a scalar by its tag as yaml-cpp reports it: "!" (quoted) and !!str are strings, every
// other tag ("?" plain, !!int, !!float, !!bool, !!null, unknown tags) resolves as plain.
nlohmann::json ResolveYamlScalar(std::string_view tag, std::string_view text);

}  // namespace gitmodel
