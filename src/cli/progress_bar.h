// A one-line progress bar on stderr, drawn only when stderr is a terminal and redrawn at most ten
// times a second: "fsck: [#########.........] 450/1000 objects  1.2 GiB/2.4 GiB".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gitmodel::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit);  // enabled when stderr is a terminal
  ~ProgressBar();                                     // ends the line if one was drawn

  // bytes_total 0: no byte counts shown.
  void Update(uint64_t done, uint64_t total, uint64_t bytes_done = 0, uint64_t bytes_total = 0);

 private:
  std::string label_, unit_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace gitmodel::cli
