// A tokenizer for Python source, enough to find statement boundaries and literals. It never
// evaluates anything. Internal to src/hyperparams/.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

enum class PyTokenKind : uint8_t {
  kName,     // identifiers and keywords (non-ASCII bytes count as identifier characters)
  kNumber,   // as written: "1_000", "0x1F", "1e-3", "2j"
  kString,   // as written, prefix and quotes included: "r'\d'", "'''doc'''"
  kOp,       // operators and brackets ("=", "**=", "("); unknown characters as themselves
  kNewline,  // end of a logical line (never inside brackets or after a backslash continuation)
};

struct PyToken {
  PyTokenKind kind = PyTokenKind::kOp;
  std::string_view text;  // a view of the source: valid while the source is
  int line = 0;           // 1-based line where the token starts
  int column = 0;         // byte offset from the start of that line
  int depth = 0;          // brackets enclosing this token (a bracket itself is outside its pair)
};

// Tokenizes `source`. Comments and blank lines produce nothing; the last logical line ends with
// a kNewline. Errors (kInvalidArgument, "<name>:<line>:<column>: ..."): an unterminated string, a
// closing bracket that does not match, a bracket never closed.
Result<std::vector<PyToken>> TokenizePython(std::string_view source, std::string_view name);

}  // namespace gitmodel
