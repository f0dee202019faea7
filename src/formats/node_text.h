// Short, safe text for tree nodes: dict keys as path components, values as one-line reprs.
#pragma once

#include <string>
#include <string_view>

#include "gitmodel/object_tree.h"

namespace gitmodel {

// A dict key as a key-path component: strings as they are, numbers in decimal, tuples "(a,b)".
std::string KeyText(const Node* key);

// A one-line Python-like repr of a scalar-ish node ("0.001", "'resnet18'", "True",
// "device('cuda:0')"), cut at `max_len` characters with "...". Containers: "dict(3)", "list(10)".
std::string ShortRepr(const Node* n, size_t max_len = 80);

// `text` with invalid UTF-8 sequences replaced by U+FFFD (safe for JSON) and, when
// `escape_controls`, control characters written as \xNN (safe for one terminal line).
std::string ValidUtf8(std::string_view text, bool escape_controls = true);

}  // namespace gitmodel
