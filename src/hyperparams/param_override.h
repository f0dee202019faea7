// `--param key=value` and `--metric key=value` from the command line, typed.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

// Splits "key=value" at the first '='. The key must be non-empty valid UTF-8 without whitespace
// or control characters and without empty dotted components ("a..b", ".a"). The value is typed:
//   "12", "-3"                 -> integer (64-bit; larger ones are floats)
//   "0.1", "1e-3", "inf", "nan" -> float
//   true false True False      -> boolean
//   null None                  -> null
//   "[1, 2]", "[\"a\"]"        -> a JSON array of scalars (a value starting with '[' must be one)
//   anything else, "" included -> the string as given
// Errors are kInvalidArgument naming the assignment.
Result<std::pair<std::string, nlohmann::json>> ParseParamAssignment(std::string_view assignment);

// The same key rules; the value must be a finite number (integer or float).
Result<std::pair<std::string, nlohmann::json>> ParseMetricAssignment(std::string_view assignment);

}  // namespace gitmodel
