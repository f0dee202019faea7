#include "report/commit_kind.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace gitmodel {
namespace {

// Conventional Commits types and common synonyms teams write.
const std::vector<std::pair<std::string_view, std::string_view>> kTypeAliases = {
    {"feat", "feat"}, {"feature", "feat"}, {"fix", "fix"}, {"bugfix", "fix"}, {"hotfix", "fix"},
    {"perf", "perf"}, {"refactor", "refactor"}, {"revert", "revert"}, {"docs", "docs"}, {"doc", "docs"},
    {"test", "test"}, {"tests", "test"}, {"build", "build"}, {"deps", "build"}, {"ci", "ci"},
    {"style", "style"}, {"chore", "chore"}, {"exp", "feat"}, {"experiment", "feat"}, {"model", "feat"},
    {"data", "feat"}, {"train", "feat"},
};

// First words of free-form subjects (lowercased); the first match wins.
const std::vector<std::pair<std::string_view, std::string_view>> kFirstWords = {
    {"add", "feat"}, {"adds", "feat"}, {"added", "feat"}, {"implement", "feat"}, {"introduce", "feat"},
    {"support", "feat"}, {"new", "feat"}, {"enable", "feat"}, {"switch", "feat"}, {"use", "feat"},
    {"train", "feat"}, {"tune", "feat"},
    {"fix", "fix"}, {"fixes", "fix"}, {"fixed", "fix"}, {"correct", "fix"}, {"repair", "fix"}, {"resolve", "fix"},
    {"speed", "perf"}, {"faster", "perf"}, {"optimize", "perf"}, {"optimise", "perf"}, {"cache", "perf"},
    {"refactor", "refactor"}, {"rename", "refactor"}, {"move", "refactor"}, {"clean", "refactor"},
    {"simplify", "refactor"}, {"extract", "refactor"},
    {"revert", "revert"}, {"document", "docs"}, {"docs", "docs"}, {"readme", "docs"},
    {"test", "test"}, {"tests", "test"}, {"bump", "build"}, {"upgrade", "build"}, {"update", "chore"},
    {"remove", "chore"}, {"delete", "chore"}, {"drop", "chore"}, {"merge", "chore"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Lookup(const std::vector<std::pair<std::string_view, std::string_view>>& table, std::string_view word) {
  for (const auto& [from, kind] : table) if (from == word) return kind;
  return {};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "type(scope)!: description": true with the parts filled when `subject` has that form and
// `type` is one the table knows.
bool ParseConventional(std::string_view subject, CommitKind& out) {
  const size_t colon = subject.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
  std::string_view head = subject.substr(0, colon);
  if (head.back() == '!') out.breaking = true, head.remove_suffix(1);
  const size_t open = head.find('(');
  if (open != std::string_view::npos) {
    if (head.back() != ')') return false;
    out.scope = std::string(head.substr(open + 1, head.size() - open - 2));
    head = head.substr(0, open);
  }
  const std::string_view kind = Lookup(kTypeAliases, Lower(head));
  if (kind.empty()) return false;
  out.kind = std::string(kind);
  out.description = std::string(Trim(subject.substr(colon + 2)));
  return true;
}

}  // namespace

CommitKind ClassifySubject(std::string_view subject) {
  subject = Trim(subject);
  CommitKind out;
  const bool conventional = ParseConventional(subject, out);
  if (subject.find("BREAKING CHANGE") != std::string_view::npos) out.breaking = true;
  if (conventional) return out;
  out = CommitKind{"other", "", std::string(subject), out.breaking};
  const size_t end = subject.find_first_of(" :,");
  const std::string_view kind = Lookup(kFirstWords, Lower(subject.substr(0, end)));
  if (!kind.empty()) out.kind = std::string(kind);
  return out;
}

const std::vector<KindTitle>& KindTitles() {
  static const std::vector<KindTitle> titles = {
      {"feat", "Features"}, {"fix", "Fixes"}, {"perf", "Performance"}, {"refactor", "Refactoring"},
      {"revert", "Reverts"}, {"docs", "Documentation"}, {"test", "Tests"}, {"build", "Build and dependencies"},
      {"ci", "CI"}, {"style", "Style"}, {"chore", "Chores"}, {"other", "Other changes"},
  };
  return titles;
}

}  // namespace gitmodel
