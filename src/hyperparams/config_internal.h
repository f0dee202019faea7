// Helpers shared by the config readers (internal to src/hyperparams/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {

// Flattens a parsed config document: null is an empty config, an object is flattened
// (FlattenJsonChecked), anything else is an InvalidArgument naming `name`.
Result<FlatParams> FlattenConfigRoot(const nlohmann::json& root, std::string_view name);

// The 1-based line of byte `offset` in `text` (offsets past the end count to the last line).
size_t LineAt(std::string_view text, size_t offset);

// The 1-based column (in bytes) of byte `offset` in `text` within its line.
size_t ColumnAt(std::string_view text, size_t offset);

// True for `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`: the float literals
// of YAML's core schema and of Python (after its underscores are removed), without a sign.
bool IsDecimalFloatText(std::string_view text);

// A decimal float from text already checked to be digits with at most one '.' and an optional
// exponent ("1.5e-3", ".5", "1."; no sign, no underscores). Out-of-range values become inf or
// 0, as Python's float() makes them.
double DecimalFloat(std::string_view text);

// `text` with ASCII letters lowercased (locale-independent).
std::string AsciiLowercase(std::string_view text);

// `text` as strictly well-formed UTF-8, as JSON needs it: each ill-formed byte (overlong forms,
// surrogates, beyond U+10FFFF, truncated) becomes U+FFFD; control characters are kept.
std::string Utf8Text(std::string_view text);

}  // namespace gitmodel
