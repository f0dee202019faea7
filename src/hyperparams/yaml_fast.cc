// The subset, line by line: blank and comment lines; `KEY:` opening a nested mapping (or null
// when the next line is not deeper); `KEY: VALUE` with VALUE a plain scalar (typed as YAML 1.2's
// core schema via ResolvePlainYamlScalar) or a quoted string without escapes, then an optional
// ` # comment`. KEY is [A-Za-z_][A-Za-z0-9_-]*. Indentation is spaces only and must return to an
// enclosing level. Everything else bails out.
#include "hyperparams/yaml_fast.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "hyperparams/config_internal.h"
#include "hyperparams/yaml_scalar.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

bool IsKeyStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9') || c == '-'; }

// The rest of a line after a value: spaces, then nothing or a comment.
bool OnlyComment(std::string_view rest) {
  size_t i = rest.find_first_not_of(' ');
  return i == std::string_view::npos || rest[i] == '#';
}

std::optional<json> Quoted(std::string_view v) {
  const char q = v[0];
  const size_t end = v.find(q, 1);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view body = v.substr(1, end - 1);
  if (body.find('\\') != std::string_view::npos && q == '"') return std::nullopt;
  if (end + 1 < v.size() && v[end + 1] != ' ') return std::nullopt;  // '' escape or junk
  if (!OnlyComment(v.substr(end + 1))) return std::nullopt;
  return json(std::string(body));
}

std::optional<json> Plain(std::string_view v) {
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(v[0]) != std::string_view::npos) {
    // "-1", "-.5": a sign is fine when a non-space follows; other indicators bail out.
    if (v[0] != '-' || v.size() < 2 || v[1] == ' ') return std::nullopt;
  }
  const size_t comment = v.find(" #");
  std::string_view text = v.substr(0, comment);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.find(": ") != std::string_view::npos || text.back() == ':') return std::nullopt;
  return ResolvePlainYamlScalar(text);
}

struct Frame {
  size_t indent;
  std::string prefix;  // "a.b." for keys in the mapping at a.b
  int depth;
};

}  // namespace

// Builds the flat map directly (no JSON tree): keys hold no '.', so a dotted path names one node
// and a repeated path is a duplicate key.
std::optional<FlatParams> TryParseSimpleYaml(std::string_view text) {
  for (char c : text)
    if (c == '\t' || c == '\r' || static_cast<unsigned char>(c) >= 0x80) return std::nullopt;  // yaml-cpp decides
  if (text.size() > kMaxConfigBytes) return std::nullopt;
  FlatParams out;
  std::unordered_set<std::string> maps;  // paths of nested mappings
  std::vector<Frame> stack;
  std::optional<std::string> pending;  // a `KEY:` waiting for its first deeper line
  size_t pending_indent = 0;
  int pending_depth = 0;
  size_t values = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    const size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos || line[indent] == '#') continue;
    if (++values > kMaxConfigValues) return std::nullopt;
    if (pending) {
      if (indent > pending_indent) {
        if (pending_depth >= kMaxConfigDepth) return std::nullopt;
        stack.push_back({indent, *pending + ".", pending_depth + 1});
        maps.insert(std::move(*pending));
      } else {
        out.emplace(std::move(*pending), nullptr);
      }
      pending.reset();
    }
    if (stack.empty()) stack.push_back({indent, "", 1});
    while (!stack.empty() && indent < stack.back().indent) stack.pop_back();
    if (stack.empty() || indent != stack.back().indent) return std::nullopt;
    if (!IsKeyStart(line[indent])) return std::nullopt;
    size_t k = indent;
    while (k < line.size() && IsKeyChar(line[k])) ++k;
    if (k == line.size() || line[k] != ':' || (k + 1 < line.size() && line[k + 1] != ' ')) return std::nullopt;
    const std::string_view key = line.substr(indent, k - indent);
    if (key.size() == 4 && AsciiLowercase(key) == "null") return std::nullopt;  // yaml-cpp may report it as a null node
    std::string path = stack.back().prefix;
    path += key;
    if (!maps.empty() && maps.contains(path)) return std::nullopt;  // duplicates: the full parser's rules
    const std::string_view rest = line.substr(k + 1);
    const size_t v = rest.find_first_not_of(' ');
    if (v == std::string_view::npos || rest[v] == '#') {
      if (out.contains(path)) return std::nullopt;
      pending = std::move(path);
      pending_indent = indent;
      pending_depth = stack.back().depth;
      continue;
    }
    std::optional<json> value = rest[v] == '"' || rest[v] == '\'' ? Quoted(rest.substr(v)) : Plain(rest.substr(v));
    if (!value) return std::nullopt;
    auto [slot, inserted] = out.try_emplace(std::move(path));
    if (!inserted) return std::nullopt;
    slot->second = std::move(*value);
  }
  if (pending) out.emplace(std::move(*pending), nullptr);
  return out;
}

}  // namespace gitmodel
