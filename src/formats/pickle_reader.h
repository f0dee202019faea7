// A safe pickle reader: interprets protocols 0-5 into an inert object tree (object_tree.h).
//
// It never imports, calls or evaluates anything the pickle names. GLOBAL/STACK_GLOBAL become
// kGlobal references; REDUCE/NEWOBJ/INST/OBJ become kObject nodes unless PickleHooks turns a
// known constructor into a typed value (a tensor, an OrderedDict...). Hard limits turn hostile
// inputs (deep MARK nests, memo bombs, huge strings) into errors instead of exhaustion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "gitmodel/object_tree.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct PickleLimits {
  size_t max_marks = 1000;                // simultaneous open MARKs
  size_t max_stack = 1u << 20;            // values on the stack
  size_t max_memo = 1u << 22;             // memo entries
  size_t max_nodes = 20u << 20;           // nodes created by one pickle
  uint64_t max_string = 1ull << 30;       // bytes in one string / bytes value
  size_t max_container = 1u << 26;        // items in one list/dict/set/tuple
};

// What a format contributes to reading its pickles. Returning nullptr from Call/Global means
// "not mine": the reader then builds the generic node.
class PickleHooks {
 public:
  virtual ~PickleHooks() = default;
  // BINPERSID/PERSID. `pid` is the persistent id (a tuple for torch).
  virtual Result<Node*> PersistentLoad(Node* pid) = 0;
  // GLOBAL/STACK_GLOBAL/INST class lookup: may return a typed node (a dtype, say).
  virtual Node* Global(std::string_view module, std::string_view name) { return nullptr; }
  // REDUCE/NEWOBJ/INST/OBJ of `callable` (a node the stack held) with `args` (a kTuple).
  virtual Result<Node*> Call(Node* callable, Node* args) { return static_cast<Node*>(nullptr); }
  // BUILD of `state` onto `target` when the generic rule does not apply (targets that are not
  // objects or dicts). Return true if handled.
  virtual bool Build(Node* target, Node* state) { return false; }
};

class PickleReader {
 public:
  PickleReader(NodeArena& arena, PickleHooks& hooks, PickleLimits limits = {})
      : arena_(arena), hooks_(hooks), limits_(limits) {}

  // Interprets one pickle starting at the beginning of `bytes` up to its STOP opcode and returns
  // the object it builds. `*consumed` (if given) receives the number of bytes up to and including
  // STOP (stacked pickles follow each other in legacy files). Errors name the opcode offset.
  Result<Node*> Read(std::span<const std::byte> bytes, size_t* consumed = nullptr);

 private:
  NodeArena& arena_;
  PickleHooks& hooks_;
  PickleLimits limits_;
};

}  // namespace gitmodel
