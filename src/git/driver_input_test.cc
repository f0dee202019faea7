#include "git/driver_input.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/testing/safetensors_builder.h"
#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

using testutil::ScratchDir;
using testutil::WriteTestFile;

TEST(NotCheckpointReason, DropsThePathAndTheRepeatedVerdict) {
  EXPECT_EQ(NotCheckpointReason("/tmp/git-blob-Ab12/m.pth: empty file", "/tmp/git-blob-Ab12/m.pth"), "empty file");
  EXPECT_EQ(NotCheckpointReason("m.pth: not a checkpoint: unrecognised format", "m.pth"), "unrecognised format");
  // A shard named next to an index: the temporary directory goes, the shard's own name stays.
  EXPECT_EQ(NotCheckpointReason("/tmp/git-blob-Ab12/m.index.json: /tmp/git-blob-Ab12/s-1.safetensors: cannot open",
                                "/tmp/git-blob-Ab12/m.index.json"),
            "s-1.safetensors: cannot open");
  EXPECT_EQ(NotCheckpointReason("zip: truncated", "m.pth"), "zip: truncated");
}

TEST(OpenDriverInput, ACheckpointOpens) {
  ScratchDir dir;
  std::vector<std::byte> data(8, std::byte{0});
  std::vector<std::byte> bytes = testutil::SafetensorsBuilder().Add("w", "F32", {2}, data).Finish();
  std::string path = (dir.path() / "m.safetensors").string();
  WriteTestFile(path, std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  auto input = OpenDriverInput(path);
  ASSERT_TRUE(input.ok()) << input.status().message();
  ASSERT_NE(input->checkpoint, nullptr);
  EXPECT_EQ(input->checkpoint->tensors().size(), 1u);
  EXPECT_EQ(input->file->bytes().size(), bytes.size());
  EXPECT_EQ(input->not_checkpoint_reason, "");
}

TEST(OpenDriverInput, AFileThatIsNoCheckpointIsAnAnswer) {
  ScratchDir dir;
  for (const auto& [name, content, reason_part] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"notes.pth", "not a model\n", "unrecognised format"},
           {"empty.pt", "", "empty file"},
           {"cut.pth", std::string("PK\x03\x04", 4) + "truncated", ""}}) {
    std::string path = (dir.path() / name).string();
    WriteTestFile(path, content);
    auto input = OpenDriverInput(path);
    ASSERT_TRUE(input.ok()) << name << ": " << input.status().message();
    EXPECT_EQ(input->checkpoint, nullptr) << name;
    EXPECT_EQ(input->file->bytes().size(), content.size()) << name;
    EXPECT_FALSE(input->not_checkpoint_reason.empty()) << name;
    EXPECT_NE(input->not_checkpoint_reason.find(reason_part), std::string::npos) << input->not_checkpoint_reason;
    const std::string& reason = input->not_checkpoint_reason;
    EXPECT_EQ(reason.find(dir.path().string()), std::string::npos) << reason;
    EXPECT_EQ(input->not_checkpoint_reason.find(name), std::string::npos) << input->not_checkpoint_reason;
  }
}

TEST(OpenDriverInput, AFileThatCannotBeReadIsAnError) {
  ScratchDir dir;
  auto missing = OpenDriverInput((dir.path() / "nope.pth").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.pth"), std::string::npos) << missing.status().message();
  auto directory = OpenDriverInput(dir.path().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("directory"), std::string::npos) << directory.status().message();
}

}  // namespace
}  // namespace gitmodel
