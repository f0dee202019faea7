// Severity names and report helpers (scan_result.h).
#include "scan/scan_result.h"

namespace gitmodel {

bool FileReport::HasCritical() const {
  for (const Finding& f : findings)
    if (f.severity == Severity::kCritical) return true;
  return false;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical: return "critical";
    case Severity::kUnknown: return "unknown";
    case Severity::kCode: return "code";
    default: return "info";
  }
}

}  // namespace gitmodel
