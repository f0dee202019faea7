// The comparison behind `git model diff` and the external-diff mode `git model git-diff`.
#pragma once

#include <cstddef>
#include <string>

namespace gitmodel::cli {

struct DiffArgs {
  std::string a, b;        // checkpoint paths, or REV:PATH (a file as committed at a revision)
  bool stat = false;       // one line per changed tensor instead of the tables
  size_t top = 20;         // tensors listed in the text tables (JSON lists all unless --top given)
  bool top_given = false;
  std::string sort = "rel";  // rel | l2 | maxabs | name
  int module_depth = 2;
  double atol = 1e-8, rtol = 1e-5;
  bool exit_code = false;  // exit 1 when anything differs beyond tolerance
  bool json = false;
  std::string label_a, label_b;  // names shown for the two sides; default: the arguments
};

// Opens both sides, compares and prints them. Returns the process exit code: 2 on errors (a
// message is printed), 1 with exit_code when they differ, else 0.
int RunDiff(const DiffArgs& args);

}  // namespace gitmodel::cli
