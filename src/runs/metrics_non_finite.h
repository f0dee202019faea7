// The metrics protocol's non-finite values (metrics_line.h): what JSON (and nlohmann) refuse but
// Python writes or reads.
#pragma once

#include <string>
#include <string_view>

namespace gitmodel {

// `text` with, where a value may start outside strings, the barewords NaN, Infinity, -Infinity
// of Python's json.dumps and numbers too large for a double (read as +-Infinity, as Python does)
// replaced by the strings "NaN", "Infinity", "-Infinity" that python/git_model.py writes.
// Anything else is left for the JSON parser, so `{NaN: 1}` stays invalid.
std::string QuoteNonFiniteValues(std::string_view text);

}  // namespace gitmodel
