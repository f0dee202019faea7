// Which imports a pickle may make: an allowlist of inert constructors (data), a list of modules
// whose callables can run code (critical), and everything else (an unknown class).
//
// Names are judged as Python would resolve them: `module` is imported, then each dot-separated
// part of `name` is looked up in turn (protocol 4 allows dotted names). Python 2 names are mapped
// the way Python 3's unpickler maps them (__builtin__ -> builtins, copy_reg -> copyreg).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace gitmodel {

enum class ImportVerdict { kSafe, kUnknown, kCritical };

struct ImportJudgement {
  ImportVerdict verdict = ImportVerdict::kUnknown;
  std::string reason;  // why, for the user; empty when safe
};

class ImportPolicy {
 public:
  // `dotted` ("mypkg.models.Net") is treated as data from now on. Only unknown classes and
  // standard-library classes outside the allowlist can be allowed: names on the code-running
  // list (os, subprocess, builtins.eval, pickle.loads, ...) stay critical whatever is allowed.
  void Allow(std::string dotted) { allowed_.insert(std::move(dotted)); }

  ImportJudgement Judge(std::string_view module, std::string_view name) const;

 private:
  std::unordered_set<std::string> allowed_;
};

// "module.name" with Python 2 module names mapped to Python 3's (what the verdict is about).
std::string CanonicalImport(std::string_view module, std::string_view name);

// True when `dotted` is a syntactically valid dotted Python name (identifiers joined by dots).
bool IsDottedIdentifier(std::string_view dotted);

}  // namespace gitmodel
