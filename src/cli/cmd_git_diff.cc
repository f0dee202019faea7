// git-model git-diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH XFRM]:
// the external diff git runs (diff.git-model.command, GIT_EXTERNAL_DIFF). git stops the whole
// diff when this exits non-zero, so differences are exit 0; only errors are 2.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/diff_runner.h"
#include "cli/render.h"
#include "inspect/summary.h"

namespace gitmodel::cli {
namespace {

constexpr std::string_view kNoFile = "/dev/null";  // git's name for the missing side

// An added or deleted file: what it holds, not a comparison with nothing.
int DescribeOneSide(const std::string& file, std::string_view verb) {
  auto ck = Checkpoint::Open(file);
  if (!ck.ok()) {
    PrintError(ck.status().message());
    return kExitError;
  }
  Summary s = Summarize(**ck);
  fmt::print("{} checkpoint ({}): {}, {}\n", verb, FormatName((*ck)->format()), CountOf(s.tensors, "tensor"),
             CountOf(s.parameters, "parameter"));
  return kExitOk;
}

int RunGitDiff(const std::vector<std::string>& a) {
  if (a.size() != 7 && a.size() != 9) {
    PrintError(fmt::format("git-diff takes the 7 or 9 arguments git passes to an external diff, not {}", a.size()));
    return kExitError;
  }
  const std::string& old_file = a[1];
  const std::string& new_file = a[4];
  DiffArgs diff{.a = old_file, .b = new_file};
  diff.label_a = "a/" + a[0];
  diff.label_b = "b/" + (a.size() == 9 ? a[7] : a[0]);
  fmt::print("diff --git-model {} {}\n", diff.label_a, diff.label_b);
  if (a.size() == 9 && !a[8].empty()) fmt::print("{}{}", a[8], a[8].back() == '\n' ? "" : "\n");  // "similarity index..."
  if (old_file == kNoFile) return DescribeOneSide(new_file, "new");
  if (new_file == kNoFile) return DescribeOneSide(old_file, "deleted");
  std::fflush(stdout);
  return RunDiff(diff);
}

}  // namespace

void SetupGitDiff(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<std::vector<std::string>>();
  sub.add_option("args", *args, "path old-file old-hex old-mode new-file new-hex new-mode [new-path xfrm-info]")
      ->expected(7, 9)
      ->required();
  sub.footer("Run by git, not by hand: `git model install --external` sets diff.git-model.command to this.");
  sub.callback([args, exit_code] { *exit_code = RunGitDiff(*args); });
}

}  // namespace gitmodel::cli
