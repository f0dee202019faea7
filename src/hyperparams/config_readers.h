// Config files (YAML, JSON, TOML, Python literals) read into FlatParams. docs/formats.md,
// "Config files and hyperparameters", says how each format is typed and flattened.
//
// Every reader takes untrusted text: nothing is executed or imported, and size (kMaxConfigBytes),
// nesting (kMaxConfigDepth) and value count (kMaxConfigValues, aliases expanded) are bounded
// (kLimit). Syntax errors are kInvalidArgument with "<name>:<line>:<column>: ..." (1-based; the
// column in bytes) where the parser knows both, "<name>:<line>: ..." where it knows only the line.
// The top level must be a mapping (or empty). Thread-safe: readers share no state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gitmodel/status.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {

enum class ConfigFormat : uint8_t { kYaml, kJson, kToml, kPython };
std::string_view ConfigFormatName(ConfigFormat format);  // "yaml", "json", "toml", "python"

// The format for a file name by its extension (.yaml .yml .json .toml .py, any case). Other
// extensions are refused with kInvalidArgument listing the accepted ones: a config's format is
// never guessed from its content.
Result<ConfigFormat> ConfigFormatForPath(std::string_view path);

// Reads and flattens the config file at `path` (format by extension, at most kMaxConfigBytes).
Result<FlatParams> ReadConfigFile(const std::string& path);

// Flattens config `text` of `format`; `name` (a path, "HEAD:train.yaml") names it in errors.
// Used for files and for blobs read from git history.
Result<FlatParams> ParseConfigText(ConfigFormat format, std::string_view text, std::string_view name);

// YAML 1.2 core schema: plain scalars typed (null ~ true false ints 0x 0o floats .inf .nan),
// quoted scalars strings; anchors, aliases and `<<` merge keys expanded (counted against
// kMaxConfigValues, so alias bombs fail); duplicate keys keep the last value; one document only
// (further empty documents are ignored, a second non-empty one is an error).
Result<FlatParams> ParseYamlConfig(std::string_view text, std::string_view name);

// Strict JSON (RFC 8259, UTF-8). Duplicate keys keep the last value; integers beyond 64 bits
// become floats.
Result<FlatParams> ParseJsonConfig(std::string_view text, std::string_view name);

// TOML 1.0. Dates and times become their TOML text ("1979-05-27T07:32:00Z").
Result<FlatParams> ParseTomlConfig(std::string_view text, std::string_view name);

// Python source, never executed or evaluated: top-level assignments to plain names (`lr = 3e-4`,
// `x: int = 1`, `a = b = 1`) are read. A literal right-hand side (tuples, lists, sets, dicts,
// `dict(k=v)`, `float('inf')`, all string forms but bytes and f-strings) becomes its value; any
// other (`make(0.1)`, `base * 2`, `[nn.Linear(3, 4)]`) becomes a string holding the expression's
// source text, exactly as in the file from its first token to its last (comments and line breaks
// inside brackets kept). Every other statement (imports, defs, indented blocks, expressions,
// augmented assignments, assignments to tuples, attributes or items) is skipped and counted in
// `*skipped_statements` when given; a plain name such a statement re-binds (`lr *= 2`,
// `lr, wd = f()`) is dropped, since its final value is unknown. Errors only for unterminated
// strings, unbalanced brackets and limits (a source text counts as one value).
Result<FlatParams> ParsePythonConfig(std::string_view text, std::string_view name,
                                     size_t* skipped_statements = nullptr);

}  // namespace gitmodel
