// Fuzz target: the static pickle scanner on any bytes, as a whole file (zip, npy, 7z, stacked
// pickles) and as one pickle. Checks that every finding lies inside the input it names.
#include "fuzz_input.h"
#include "scan/file_scan.h"
#include "scan/pickle_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto bytes = gitmodel::fuzz::AsBytes(data, size);
  static gitmodel::ImportPolicy policy;
  gitmodel::FileScanOptions options;
  options.policy = &policy;
  options.max_member_bytes = 64u << 20;
  gitmodel::FileReport report = gitmodel::ScanBytes(bytes, "input", options);
  for (const auto& f : report.findings)
    if (f.member.empty() && f.has_offset && f.offset >= size) __builtin_trap();
  gitmodel::PickleScanOptions po;
  po.policy = &policy;
  std::vector<gitmodel::Finding> findings;
  auto outcome = gitmodel::ScanPickle(bytes, po, &findings);
  if (outcome.consumed > size) __builtin_trap();
  return 0;
}
