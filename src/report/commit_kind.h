// What kind of work a commit subject describes, for the report's Features section: the type of a
// Conventional Commits prefix ("feat(data)!: add mixup"), else the subject's first word
// ("Add ...", "Fixed ...", "Speed up ..."), else "other".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gitmodel {

struct CommitKind {
  std::string kind;         // feat fix perf refactor revert docs test build ci style chore other
  std::string scope;        // "data" of "feat(data): ..."
  std::string description;  // the subject without its prefix
  bool breaking = false;    // "!" before the colon, or "BREAKING CHANGE" in the subject
};

CommitKind ClassifySubject(std::string_view subject);

// The kinds in report order, with their section titles ("Features", "Fixes", ...).
struct KindTitle {
  std::string_view kind;
  std::string_view title;
};
const std::vector<KindTitle>& KindTitles();

}  // namespace gitmodel
