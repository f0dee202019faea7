// The verdict on one import; see import_policy.h and docs/scan.md for the policy.
#include "scan/import_policy.h"

#include <fmt/core.h>

#include "scan/import_lists.h"

namespace gitmodel {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (unsigned char c : s)
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80)) return false;
  return true;
}

// ENUM_MEMBER style: a value, not a callable (enum members reached by getattr or dotted names).
bool IsConstantName(std::string_view s) {
  bool letter = false;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    letter |= c >= 'A' && c <= 'Z';
  }
  return letter;
}

bool IsClassName(std::string_view s) { return !s.empty() && s[0] >= 'A' && s[0] <= 'Z'; }

// "pkg.mod.Class.method": a function reached through a class, which a REDUCE then calls with
// arguments of the pickle's choosing (bdb.Bdb.run, Grammar.loads...).
bool IsMethodOfClass(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view last = name.substr(dot + 1);
  return !IsClassName(last) && !IsConstantName(last);
}

std::string_view TopModule(std::string_view dotted) { return dotted.substr(0, dotted.find('.')); }

}  // namespace

bool IsDottedIdentifier(std::string_view dotted) {
  if (dotted.empty()) return false;
  size_t start = 0;
  for (;;) {
    size_t dot = dotted.find('.', start);
    if (!IsIdentifier(dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string CanonicalImport(std::string_view module, std::string_view name) {
  if (module == "__builtin__" || module == "exceptions") module = "builtins";
  if (module == "copy_reg") module = "copyreg";
  return fmt::format("{}.{}", module, name);
}

ImportJudgement ImportPolicy::Judge(std::string_view module, std::string_view name) const {
  if (!IsDottedIdentifier(module) || !IsDottedIdentifier(name))
    return {ImportVerdict::kUnknown, "not a valid Python name, so the import fails"};
  const std::string dotted = CanonicalImport(module, name);
  if (scan_lists::IsAllowlisted(dotted)) return {ImportVerdict::kSafe, ""};
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos && IsConstantName(name.substr(dot + 1))) {
    ImportJudgement owner = Judge(module, name.substr(0, dot));  // an enum member: judged as its class
    if (owner.verdict != ImportVerdict::kCritical) return owner;
  }
  if (std::string_view why = scan_lists::CodeRunningReason(dotted); !why.empty())
    return {ImportVerdict::kCritical, std::string(why)};
  if (allowed_.contains(dotted)) return {ImportVerdict::kSafe, ""};
  std::string_view top = TopModule(dotted);
  if (scan_lists::IsStandardLibrary(top))
    return {ImportVerdict::kCritical, "standard-library callable outside the allowlist (a gadget source)"};
  if (IsMethodOfClass(name))
    return {ImportVerdict::kCritical, "a method reached through its class: the pickle calls it with its own arguments"};
  return {ImportVerdict::kUnknown, "class outside the allowlist: loading imports it and may run its code"};
}

}  // namespace gitmodel
