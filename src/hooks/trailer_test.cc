#include "hooks/trailer.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

LabeledChange Change(std::string key, std::optional<nlohmann::json> before, std::optional<nlohmann::json> after) {
  return {key, {key, std::move(before), std::move(after)}};
}

const std::string kLine = "Hyperparams: lr 0.01 -> 0.001";

TEST(HyperparamTrailer, ChangedAddedRemoved) {
  EXPECT_EQ(HyperparamTrailer({}), "");
  EXPECT_EQ(HyperparamTrailer({Change("lr", 0.01, 0.001), Change("batch_size", 64, 128)}),
            "Hyperparams: lr 0.01 -> 0.001, batch_size 64 -> 128");
  EXPECT_EQ(HyperparamTrailer({Change("dropout", std::nullopt, 0.1), Change("momentum", 0.9, std::nullopt)}),
            "Hyperparams: dropout (added) 0.1, momentum 0.9 -> (removed)");
}

TEST(HyperparamTrailer, CapsChangesAndValuesAndStaysOneLine) {
  std::vector<LabeledChange> many;
  for (int i = 0; i < 11; ++i) many.push_back(Change("k" + std::to_string(i), i, i + 1));
  std::string line = HyperparamTrailer(many);
  EXPECT_TRUE(line.ends_with("k7 7 -> 8 (+3 more)")) << line;
  std::string text = HyperparamTrailer({Change("note", "a\nb", std::string(100, 'x'))});
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_NE(text.find("a b -> " + std::string(37, 'x') + "..."), std::string::npos) << text;
}

TEST(AddTrailer, AfterABlankLineBelowTheMessage) {
  EXPECT_EQ(AddTrailer("Subject\n", kLine, '#'), "Subject\n\n" + kLine + "\n");
  EXPECT_EQ(AddTrailer("Subject", kLine, '#'), "Subject\n\n" + kLine + "\n");
  EXPECT_EQ(AddTrailer("Subject\n\nBody text.\n\n\n", kLine, '#'), "Subject\n\nBody text.\n\n" + kLine + "\n\n\n");
}

TEST(AddTrailer, JoinsAnExistingTrailerBlock) {
  EXPECT_EQ(AddTrailer("Subject\n\nSigned-off-by: A <a@b>\n", kLine, '#'),
            "Subject\n\nSigned-off-by: A <a@b>\n" + kLine + "\n");
  // A subject that looks like a trailer is still the subject.
  EXPECT_EQ(AddTrailer("fix: lr\n", kLine, '#'), "fix: lr\n\n" + kLine + "\n");
}

TEST(AddTrailer, BeforeCommentsAndScissors) {
  const std::string message =
      "Subject\n\n# Please enter the commit message\n# ------------------------ >8 ------------------------\n"
      "diff --git a/x b/x\n+lr: 1\n";
  EXPECT_EQ(AddTrailer(message, kLine, '#'),
            "Subject\n\n" + kLine + "\n\n# Please enter the commit message\n"
            "# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n+lr: 1\n");
  EXPECT_EQ(AddTrailer("Subject\n; comment\n", kLine, ';'), "Subject\n\n" + kLine + "\n; comment\n");
}

TEST(AddTrailer, LeavesAnEmptyMessageEmpty) {
  EXPECT_EQ(AddTrailer("", kLine, '#'), "");
  EXPECT_EQ(AddTrailer("\n# only comments\n", kLine, '#'), "\n# only comments\n");
}

TEST(HasHyperparamTrailer, FindsItOnlyInTheMessageBody) {
  EXPECT_TRUE(HasHyperparamTrailer("Subject\n\n" + kLine + "\n", '#'));
  EXPECT_FALSE(HasHyperparamTrailer("Hyperparams: in the subject\n", '#'));
  EXPECT_FALSE(HasHyperparamTrailer("Subject\n# Hyperparams: x\n", '#'));
  EXPECT_FALSE(HasHyperparamTrailer("Subject\n# ------------------------ >8 ------------------------\nHyperparams: x\n", '#'));
}

}  // namespace
}  // namespace gitmodel
