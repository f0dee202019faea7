#include "runs/metrics_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include <fmt/core.h>

#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::TempDir;

void Append(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

std::vector<MetricPoint> MustPoll(MetricsFileReader& reader) {
  Result<std::vector<MetricPoint>> points = reader.Poll();
  EXPECT_TRUE(points.ok()) << points.status().message();
  return points.ok() ? *points : std::vector<MetricPoint>{};
}

std::vector<MetricPoint> MustFinish(MetricsFileReader& reader) {
  Result<std::vector<MetricPoint>> points = reader.Finish();
  EXPECT_TRUE(points.ok()) << points.status().message();
  return points.ok() ? *points : std::vector<MetricPoint>{};
}

TEST(MetricsFile, MissingFileIsNotAnError) {
  TempDir dir;
  MetricsFileReader reader(dir / "metrics.jsonl");
  EXPECT_TRUE(MustPoll(reader).empty());
  EXPECT_TRUE(MustFinish(reader).empty());
  EXPECT_EQ(reader.lines(), 0u);
  EXPECT_TRUE(reader.warnings().empty());
}

TEST(MetricsFile, ReadsCompleteLinesAndKeepsAPartialOne) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  MetricsFileReader reader(path);
  Append(path, "{\"step\": 0, \"loss\": 2.5}\n{\"step\": 1, \"lo");
  std::vector<MetricPoint> points = MustPoll(reader);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].value, 2.5);
  EXPECT_EQ(points[0].line, 1u);
  EXPECT_TRUE(MustPoll(reader).empty());  // nothing new
  Append(path, "ss\": 1.5}\n\n{\"step\": 2");
  points = MustPoll(reader);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].key, "loss");
  EXPECT_EQ(points[0].value, 1.5);
  EXPECT_EQ(points[0].step, 1);
  EXPECT_EQ(points[0].line, 2u);
  EXPECT_EQ(reader.lines(), 3u);  // the blank line counts
  Append(path, ", \"loss\": 0.5}");
  EXPECT_TRUE(MustPoll(reader).empty());  // no '\n' yet: the child may still be writing
  points = MustFinish(reader);            // the child exited: the final line is complete
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].step, 2);
  EXPECT_EQ(points[0].line, 4u);
  EXPECT_TRUE(reader.warnings().empty());
  Append(path, "{\"late\": 1}\n");
  EXPECT_TRUE(MustPoll(reader).empty());  // finished
}

TEST(MetricsFile, CutFinalLineIsAWarning) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  Append(path, "{\"a\": 1}\n{\"a\": 2, \"b\"");
  MetricsFileReader reader(path);
  std::vector<MetricPoint> points = MustFinish(reader);
  ASSERT_EQ(points.size(), 1u);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0], "line 2: not a JSON object: {\"a\": 2, \"b\"");
}

TEST(MetricsFile, LongLineIsDiscardedWithoutBuffering) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  MetricsFileReader reader(path);
  Append(path, "{\"a\": 1}\n{\"pad\": \"" + std::string(kMaxMetricsLineBytes, 'p'));
  EXPECT_EQ(MustPoll(reader).size(), 1u);
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_EQ(reader.warnings()[0], "line 2: longer than 65536 bytes; skipped");
  Append(path, std::string(3 * kMetricsReadBlockBytes, 'p') + "\"}\n{\"a\": 3}\n");
  std::vector<MetricPoint> points = MustPoll(reader);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].value, 3.0);
  EXPECT_EQ(points[0].line, 3u);
  EXPECT_EQ(reader.warnings().size(), 1u);
}

TEST(MetricsFile, WarningsKeepTheFirstTwenty) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  std::string text;
  for (int i = 0; i < 25; ++i) text += "garbage\n";
  Append(path, text + "{\"a\": 1}\n");
  MetricsFileReader reader(path);
  EXPECT_EQ(MustFinish(reader).size(), 1u);
  ASSERT_EQ(reader.warnings().size(), kMaxKeptMetricsWarnings);
  EXPECT_EQ(reader.warnings()[19], "line 20: not a JSON object: garbage");
  EXPECT_EQ(reader.warnings_dropped(), 5u);
  EXPECT_EQ(reader.lines(), 26u);
}

TEST(MetricsFile, TruncatedFileIsReadAgain) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  Append(path, "{\"a\": 1}\n{\"a\": 2}\n");
  MetricsFileReader reader(path);
  EXPECT_EQ(MustPoll(reader).size(), 2u);
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  Append(path, "{\"a\": 5}\n");
  std::vector<MetricPoint> points = MustPoll(reader);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].value, 5.0);
  EXPECT_EQ(points[0].line, 3u);  // line numbers keep counting
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("shrank from 18 to 9 bytes; reading it again from its start"), std::string::npos);
}

TEST(MetricsFile, ReplacedFileIsReadFromItsStart) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  Append(path, "{\"a\": 1}\n");
  MetricsFileReader reader(path);
  EXPECT_EQ(MustPoll(reader).size(), 1u);
  Append(dir / "other", "{\"b\": 1}\n{\"b\": 2}\n");
  ASSERT_EQ(::rename((dir / "other").c_str(), path.c_str()), 0);
  std::vector<MetricPoint> points = MustPoll(reader);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].key, "b");
  ASSERT_EQ(reader.warnings().size(), 1u);
  EXPECT_NE(reader.warnings()[0].find("was replaced"), std::string::npos);
}

TEST(MetricsFile, DirectoryIsAnError) {
  TempDir dir;
  MetricsFileReader reader(dir.path());
  Result<std::vector<MetricPoint>> points = reader.Poll();
  ASSERT_FALSE(points.ok());
  EXPECT_EQ(points.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(points.status().message(), fmt::format("metrics file {} is not a regular file", dir.path()));
}

TEST(MetricsFile, FinalMetricsTakesTheLastValue) {
  std::vector<MetricPoint> points = {{"loss", 3, 0, {}, 1}, {"acc", 0.5, 0, {}, 1}, {"loss", 2, 1, {}, 2}};
  std::map<std::string, double> final_metrics = FinalMetrics(points);
  EXPECT_EQ(final_metrics, (std::map<std::string, double>{{"acc", 0.5}, {"loss", 2}}));
}

// A writer appends 10,000 lines in pieces that cut lines anywhere while the reader polls.
TEST(MetricsFile, TenThousandLinesWhilePolling) {
  TempDir dir;
  const std::string path = dir / "metrics.jsonl";
  constexpr int kLines = 10'000;
  std::atomic<bool> done = false;
  std::thread writer([&] {
    std::string text;
    for (int i = 0; i < kLines; ++i) text += fmt::format("{{\"step\": {}, \"loss\": {}}}\n", i, 1.0 / (i + 1));
    size_t pieces = 0;
    for (size_t at = 0, piece = 1; at < text.size(); at += piece, piece = piece * 7 % 997 + 1) {
      Append(path, std::string_view(text).substr(at, piece));
      if (++pieces % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // let the reader in
    }
    done = true;
  });
  MetricsFileReader reader(path);
  std::vector<MetricPoint> points;
  auto take = [&](std::vector<MetricPoint> more) { points.insert(points.end(), more.begin(), more.end()); };
  while (!done) {
    take(MustPoll(reader));
    std::this_thread::yield();
  }
  writer.join();
  take(MustFinish(reader));
  ASSERT_EQ(points.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_EQ(points[i].step, i);
    ASSERT_EQ(points[i].line, static_cast<uint64_t>(i + 1));
    ASSERT_EQ(points[i].value, 1.0 / (i + 1));
  }
  EXPECT_TRUE(reader.warnings().empty());
}

}  // namespace
}  // namespace gitmodel
