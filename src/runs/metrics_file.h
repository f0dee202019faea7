// Reads the metrics file of a running child (the protocol is in runs/metrics_line.h) while it
// grows.
//
// Poll() reads the bytes appended since the last call (in blocks of 1 MiB, up to the size the
// file had when the call began) and parses the complete lines among them; a last line without its
// '\n' stays pending until its end arrives. Finish(), called once after the child has exited,
// does a last Poll and then parses a pending final line without '\n' too: what it holds is
// recorded as it is (a line cut in the middle of its JSON is a "not a JSON object" warning).
//
// - A file that does not exist (yet) is not an error: there is nothing to read.
// - A line longer than kMaxMetricsLineBytes is never held whole: the reader warns once and
//   discards bytes until the next '\n'.
// - A file that shrinks below what was read, or is replaced by another file (another inode), is
//   read again from its start, with a warning. Line numbers keep counting (they number the lines
//   read since the reader began, so they increase through the points); after such a restart they
//   no longer match the file's own line numbers.
// - Warnings (each "line N: ...", see metrics_line.h) are kept up to kMaxKeptMetricsWarnings;
//   later ones are only counted.
//
// Errors: an existing path that cannot be opened or read (IOError) or is not a regular file
// (InvalidArgument). A reader is not thread-safe; the file may be written concurrently.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "runs/metrics_line.h"

namespace gitmodel {

inline constexpr size_t kMaxKeptMetricsWarnings = 20;
inline constexpr size_t kMetricsReadBlockBytes = 1u << 20;

class MetricsFileReader {
 public:
  explicit MetricsFileReader(std::string path);

  // The points of the lines completed since the last call, in file order.
  Result<std::vector<MetricPoint>> Poll();
  // Poll() plus a final line without '\n'. Later calls (of Poll too) return nothing.
  Result<std::vector<MetricPoint>> Finish();

  const std::vector<std::string>& warnings() const { return warnings_; }
  uint64_t warnings_dropped() const { return warnings_dropped_; }
  // Lines read so far, blank and skipped ones included.
  uint64_t lines() const { return lines_; }

 private:
  struct FileIdentity {
    dev_t device;
    ino_t inode;
    bool operator==(const FileIdentity&) const = default;
  };

  Result<std::vector<MetricPoint>> ReadNewBytes();
  void RestartIfReplaced(FileIdentity identity, uint64_t size);
  void Consume(std::string_view bytes, std::vector<MetricPoint>& points);
  void AppendToLine(std::string_view piece);
  void EndLine(std::vector<MetricPoint>& points);
  void Warn(std::string warning);

  std::string path_;
  std::optional<FileIdentity> identity_;  // of the file read last
  uint64_t offset_ = 0;                   // bytes of it consumed
  std::string pending_;                   // the current line's bytes so far
  bool discarding_ = false;               // the current line is too long: skip to its '\n'
  bool finished_ = false;
  uint64_t lines_ = 0;
  std::vector<std::string> warnings_;
  uint64_t warnings_dropped_ = 0;
};

// The last value of each metric: the last point with that key in `points` order.
std::map<std::string, double> FinalMetrics(const std::vector<MetricPoint>& points);

}  // namespace gitmodel
