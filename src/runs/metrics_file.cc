#include "runs/metrics_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

#include <fmt/core.h>

namespace gitmodel {
namespace {

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

}  // namespace

MetricsFileReader::MetricsFileReader(std::string path) : path_(std::move(path)) {}

Result<std::vector<MetricPoint>> MetricsFileReader::Poll() {
  if (finished_) return std::vector<MetricPoint>{};
  return ReadNewBytes();
}

Result<std::vector<MetricPoint>> MetricsFileReader::Finish() {
  if (finished_) return std::vector<MetricPoint>{};
  GM_ASSIGN_OR_RETURN(std::vector<MetricPoint> points, ReadNewBytes());
  if (!pending_.empty() || discarding_) EndLine(points);
  finished_ = true;
  return points;
}

Result<std::vector<MetricPoint>> MetricsFileReader::ReadNewBytes() {
  std::vector<MetricPoint> points;
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return points;  // the child has not written yet
  if (fd < 0) return IOError("cannot open metrics file {}: {}", path_, std::strerror(errno));
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return IOError("cannot stat metrics file {}: {}", path_, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return InvalidArgument("metrics file {} is not a regular file", path_);
  const auto size = static_cast<uint64_t>(st.st_size);
  RestartIfReplaced(FileIdentity{st.st_dev, st.st_ino}, size);
  std::string block(std::min<uint64_t>(kMetricsReadBlockBytes, size - offset_), '\0');
  while (offset_ < size) {
    const size_t want = std::min<uint64_t>(block.size(), size - offset_);
    const ssize_t got = ::pread(fd, block.data(), want, static_cast<off_t>(offset_));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return IOError("cannot read metrics file {}: {}", path_, std::strerror(errno));
    if (got == 0) break;  // shrank while we read; the next Poll notices
    offset_ += static_cast<uint64_t>(got);
    Consume(std::string_view(block.data(), static_cast<size_t>(got)), points);
  }
  return points;
}

void MetricsFileReader::RestartIfReplaced(FileIdentity identity, uint64_t size) {
  const bool replaced = identity_ && *identity_ != identity;
  identity_ = identity;
  if (!replaced && size >= offset_) return;
  Warn(replaced ? fmt::format("metrics file {} was replaced; reading the new file from its start", path_)
                : fmt::format("metrics file {} shrank from {} to {} bytes; reading it again from its start", path_,
                              offset_, size));
  offset_ = 0;
  if (!pending_.empty() || discarding_) ++lines_;  // the cut line counts as read
  std::string().swap(pending_);
  discarding_ = false;
}

void MetricsFileReader::Consume(std::string_view bytes, std::vector<MetricPoint>& points) {
  while (!bytes.empty()) {
    const size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      AppendToLine(bytes);
      return;
    }
    AppendToLine(bytes.substr(0, newline));
    EndLine(points);
    bytes.remove_prefix(newline + 1);
  }
}

void MetricsFileReader::AppendToLine(std::string_view piece) {
  if (discarding_) return;
  if (pending_.size() + piece.size() > kMaxMetricsLineBytes) {
    Warn(MetricsLineTooLongWarning(lines_ + 1));
    discarding_ = true;
    std::string().swap(pending_);
    return;
  }
  pending_.append(piece);
}

void MetricsFileReader::EndLine(std::vector<MetricPoint>& points) {
  ++lines_;
  if (!discarding_) {
    MetricsLineResult result = ParseMetricsLine(pending_, lines_);
    std::move(result.points.begin(), result.points.end(), std::back_inserter(points));
    for (std::string& warning : result.warnings) Warn(std::move(warning));
  }
  discarding_ = false;
  pending_.clear();
}

void MetricsFileReader::Warn(std::string warning) {
  if (warnings_.size() < kMaxKeptMetricsWarnings) {
    warnings_.push_back(std::move(warning));
  } else {
    ++warnings_dropped_;
  }
}

std::map<std::string, double> FinalMetrics(const std::vector<MetricPoint>& points) {
  std::map<std::string, double> last;
  for (const MetricPoint& point : points) last[point.key] = point.value;
  return last;
}

}  // namespace gitmodel
