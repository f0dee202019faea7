// Test-only front end for WriteEmbeddedRecord / ReadEmbeddedRecord, until `git model stamp` and
// `show` exist; driven by tests/interop/stamp_interop_test.py.
//
//   embed_record write CHECKPOINT RECORD_JSON_FILE   prints {"location", "where"}
//   embed_record read CHECKPOINT                     prints {"location", "where", "json"}
//
// Exit status 0 on success, 2 with a one-line message on stderr on any error.
#include <cstdio>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "provenance/embed.h"

namespace {

int Fail(const gitmodel::Status& s) {
  fmt::print(stderr, "embed_record: {}\n", s.message());
  return 2;
}

void Print(const gitmodel::EmbeddedRecord& r, bool with_json) {
  nlohmann::json out = {{"location", gitmodel::RecordLocationName(r.location)}, {"where", r.where}};
  if (with_json) out["json"] = r.json;
  fmt::print("{}\n", out.dump());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "write" && argc == 4) {
    auto record = gitmodel::ReadSmallFile(argv[3], gitmodel::kMaxEmbeddedRecordBytes + 1);
    if (!record.ok()) return Fail(record.status());
    auto written = gitmodel::WriteEmbeddedRecord(argv[2], *record);
    if (!written.ok()) return Fail(written.status());
    Print(*written, false);
    return 0;
  }
  if (command == "read" && argc == 3) {
    auto read = gitmodel::ReadEmbeddedRecord(argv[2]);
    if (!read.ok()) return Fail(read.status());
    Print(*read, true);
    return 0;
  }
  fmt::print(stderr, "usage: embed_record write CHECKPOINT RECORD_FILE | embed_record read CHECKPOINT\n");
  return 2;
}
