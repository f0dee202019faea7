// A static scan of one pickle: walks the opcodes with a symbolic stack and memo (strings, imported
// names, small tuples; everything else is "a value"), so that names computed on the stack
// (STACK_GLOBAL from memo slots, getattr on an imported class) are resolved the way the unpickler
// would resolve them. Nothing is imported, called or built. Every import is judged by an
// ImportPolicy and reported with the offset of the opcode that makes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scan/import_policy.h"
#include "scan/scan_result.h"

namespace gitmodel {

struct PickleScanLimits {
  size_t max_stack = 1u << 20;     // symbolic values on the stack
  size_t max_marks = 1u << 16;     // open MARKs
  size_t max_memo = 1u << 20;      // memo entries
  size_t max_findings = 1000;      // findings from one pickle (the rest are counted in one note)
  size_t max_text = 4096;          // longest string kept verbatim (longer ones are "a value")
};

struct PickleScanOptions {
  const ImportPolicy* policy = nullptr;  // required
  std::string member;                    // copied into each finding
  uint64_t base_offset = 0;              // added to offsets: where `bytes` starts in the member
  bool torchscript = false;              // __torch__.* classes are the archive's own TorchScript
  PickleScanLimits limits;
};

struct PickleScanOutcome {
  size_t consumed = 0;        // bytes up to and including STOP, or up to the error
  bool reached_stop = false;  // false: the pickle is malformed or truncated (see error)
  bool not_a_pickle = false;  // the very first byte is not a pickle opcode
  std::string error;          // one line, with the offset, when !reached_stop
};

// Scans the pickle at the start of `bytes` up to its STOP opcode, appending findings to *out.
// Findings made before a malformed tail are kept: the unpickler would have acted on them before
// failing. Never fails and never reads outside `bytes`.
PickleScanOutcome ScanPickle(std::span<const std::byte> bytes, const PickleScanOptions& options,
                             std::vector<Finding>* out);

// True when `op` is a pickle opcode of any protocol.
bool IsPickleOpcode(uint8_t op);

}  // namespace gitmodel
