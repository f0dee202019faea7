// FlatParams: hyperparameters as one flat, typed, sorted map, the shape every config reader,
// checkpoint metadata reader and provenance record shares.
//
// Keys are dotted paths ("optimizer.betas", "layers.0.width"). Values are null, bool, integer,
// float, string, or an array whose elements are all scalars ([64, 128], ["a", "b"], []). Nested
// objects become dotted keys; an array holding an object or an array is flattened by index
// ("layers.0.width"); an empty object disappears (nothing to record). Strings are valid UTF-8.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"

namespace gitmodel {

using FlatParams = std::map<std::string, nlohmann::json>;

// Bounds every reader applies to untrusted configs and checkpoint metadata.
inline constexpr size_t kMaxConfigBytes = 16u << 20;  // file size
inline constexpr int kMaxConfigDepth = 64;            // nesting of objects and arrays
inline constexpr size_t kMaxConfigValues = 1'000'000;  // values (scalars and containers)

// Flattens `value` as described above. A root that is not an object yields the single key ""
// (a scalar or an array of scalars) or index keys ("0.a"). When two paths flatten to the same
// key ({"a.b": 1, "a": {"b": 2}}) the first in key order wins. Nesting deeper than
// kMaxConfigDepth is cut: the deeper value is kept as the text "<too deep>".
FlatParams FlattenJson(const nlohmann::json& value);

// The same, but a key collision is an InvalidArgument error naming the key, and more than
// kMaxConfigValues keys or nesting deeper than kMaxConfigDepth is LimitExceeded. `what` names
// the source in messages ("train.yaml").
Result<FlatParams> FlattenJsonChecked(const nlohmann::json& value, std::string_view what);

// One-line display text of a value: strings as they are (unquoted), integers in decimal, floats
// as Python's repr writes them (0.001, 1e-05, 3.0, inf, nan), true/false, null, arrays as
// [1, 2.5, "x"] with JSON-quoted strings.
std::string ParamValueText(const nlohmann::json& value);

// A float as Python's repr() writes it: shortest round-trip digits, scientific notation when
// the exponent is below -4 or at least 16, always a '.' or an exponent ("1.0", "1e+16").
std::string PythonFloatText(double value);

}  // namespace gitmodel
