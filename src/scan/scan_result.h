// What `git model scan` reports: findings about the pickles a file holds, never their values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel {

// Ordered by gravity. kCritical: loading the file can run code (exit 1). kUnknown: a class the
// allowlist does not know (a project class, say): loading imports it. kCode: TorchScript code,
// which runs when the archive is loaded with torch.jit.load. kInfo: notes (malformed data, parts
// that could not be scanned).
enum class Severity { kInfo, kCode, kUnknown, kCritical };

std::string_view SeverityName(Severity s);

struct Finding {
  Severity severity = Severity::kInfo;
  std::string member;       // where in the file: "" for the file itself, else a zip member path
                            // ("outer.zip!inner/data.pkl" for nested archives)
  uint64_t offset = 0;      // opcode offset inside the member's (inflated) bytes
  bool has_offset = false;  // false for findings about a whole member (TorchScript code, zip)
  std::string import;       // dotted import path when the finding is about an import
  std::string message;      // one line, for the user
};

struct FileReport {
  std::string path;
  std::string format;        // "pickle", "torch-legacy", "zip", "npy", "7z", "unknown"
  uint64_t pickles = 0;      // pickles scanned
  std::vector<Finding> findings;

  bool HasCritical() const;
  void Add(Finding f) { findings.push_back(std::move(f)); }
};

}  // namespace gitmodel
