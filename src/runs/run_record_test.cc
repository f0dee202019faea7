#include "runs/run_record.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gitmodel {
namespace {

RunRecord FullRecord() {
  RunRecord r;
  r.id = "20261129-192201-3fa9c1";
  r.name = "baseline";
  r.tags = {{"team", "vision"}};
  r.command = {"python3", "train.py", "--config", "c d.yaml"};
  r.cwd = ".";
  r.status = std::string(kRunKilled);
  r.start = "2026-11-29T19:22:01Z";
  r.end = "2026-11-29T19:23:01Z";
  r.wall_seconds = 60.5;
  r.signal = 9;
  r.peak_rss_kb = 123456;
  r.user_seconds = 50.25;
  r.system_seconds = 1.5;
  r.metrics["loss"] = MetricSummary{std::nan(""), 0.25, 2.5, 10, 9};
  r.metrics["acc"] = MetricSummary{0.75, 0.5, 0.75, 3, std::nullopt};
  r.metric_lines = 12;
  r.metric_warnings = {"line 3: not a JSON object: x"};
  r.metric_warnings_dropped = 2;
  r.checkpoints.push_back({"out/ckpt.pt", std::string(64, 'f'), std::string(64, 'a')});
  r.capture.git.in_repo = true;
  r.capture.git.commit = std::string(40, 'c');
  r.capture.git.branch = "main";
  r.capture.hyperparams["lr"] = 0.001;
  r.capture.hyperparams["optimizer"] = "adam";
  r.capture.hyperparam_sources["lr"] = "config:c d.yaml";
  return r;
}

TEST(RunRecordTest, RoundTripsEveryField) {
  const RunRecord r = FullRecord();
  const std::string text = SerializeRunRecord(r);
  Result<RunRecord> back = ParseRunRecord(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(SerializeRunRecord(*back), text);
  EXPECT_EQ(back->command, r.command);
  EXPECT_EQ(back->signal, 9);
  EXPECT_FALSE(back->exit_code);
  EXPECT_TRUE(std::isnan(back->metrics.at("loss").last));  // written as "NaN"
  EXPECT_EQ(back->metrics.at("loss").last_step, 9);
  EXPECT_EQ(back->capture.hyperparams.at("optimizer"), "adam");
  EXPECT_EQ(back->capture.git.commit, r.capture.git.commit);
  EXPECT_NE(text.find("\"last\": \"NaN\""), std::string::npos);
}

TEST(RunRecordTest, RejectsOtherSchemasAndBadFields) {
  EXPECT_EQ(ParseRunRecord("{}").status().code(), Code::kCorrupt);
  EXPECT_EQ(ParseRunRecord(R"({"schema": "git-model/run/v9", "id": "x"})").status().code(), Code::kUnsupported);
  EXPECT_EQ(ParseRunRecord(R"({"schema": "git-model/run/v1"})").status().code(), Code::kCorrupt);  // no id
  EXPECT_EQ(ParseRunRecord(R"({"schema": "git-model/run/v1", "id": "x", "exit_code": "0"})").status().code(),
            Code::kCorrupt);
  EXPECT_EQ(ParseRunRecord(R"({"schema": "git-model/run/v1", "id": "x", "metrics": {"summary": {"a": {}}}})")
                .status()
                .code(),
            Code::kCorrupt);
  EXPECT_EQ(ParseRunRecord("[").status().code(), Code::kCorrupt);
  Result<RunRecord> minimal = ParseRunRecord(R"({"schema": "git-model/run/v1", "id": "x", "future": 1})");
  ASSERT_TRUE(minimal.ok()) << minimal.status().message();
  EXPECT_EQ(minimal->status, kRunRunning);
}

TEST(RunRecordTest, CommandLineQuotesForAShell) {
  EXPECT_EQ(CommandLine({"python3", "train.py", "--lr=0.1"}), "python3 train.py --lr=0.1");
  EXPECT_EQ(CommandLine({"echo", "a b", "it's", ""}), "echo 'a b' 'it'\\''s' ''");
}

}  // namespace
}  // namespace gitmodel
