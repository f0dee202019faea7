#include "cli/progress_bar.h"

#include <unistd.h>

#include <fmt/core.h>

#include "cli/render.h"

namespace gitmodel::cli {

ProgressBar::ProgressBar(std::string label, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), enabled_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (drawn_) fmt::print(stderr, "\n");
}

void ProgressBar::Update(uint64_t done, uint64_t total, uint64_t bytes_done, uint64_t bytes_total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  constexpr int kWidth = 24;
  const int filled = total ? static_cast<int>(kWidth * done / total) : kWidth;
  std::string line = fmt::format("\r{}: [{}{}] {}/{} {}", label_, std::string(filled, '#'),
                                 std::string(kWidth - filled, '.'), done, total, unit_);
  if (bytes_total) line += fmt::format("  {}/{}", HumanBytes(bytes_done), HumanBytes(bytes_total));
  fmt::print(stderr, "{}\x1b[K", line);
  drawn_ = true;
}

}  // namespace gitmodel::cli
