#include "formats/pickle_reader.h"

#include <bit>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/byte_reader.h"
#include "formats/pickle_text.h"

namespace gitmodel {
namespace {

// One interpretation of one pickle. Member functions return Status so every opcode handler can
// fail with a message; `op_offset_` is where the current opcode starts.
class Machine {
 public:
  Machine(NodeArena& arena, PickleHooks& hooks, const PickleLimits& limits,
          std::span<const std::byte> bytes)
      : arena_(arena), hooks_(hooks), limits_(limits), in_(bytes) {}

  Result<Node*> Run(size_t* consumed);

 private:
  Status Step(uint8_t op, bool& stop);
  Status Fail(std::string_view what) const {
    return Corrupt("pickle opcode 0x{:02x} at offset {}: {}", op_, op_offset_, what);
  }

  // --- input ---
  Result<std::span<const std::byte>> Take(uint64_t n) {
    if (n > in_.size() - pos_) {
      return Corrupt("pickle opcode 0x{:02x} at offset {}: needs {} bytes, only {} remain", op_,
                     op_offset_, n, in_.size() - pos_);
    }
    auto s = in_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  template <typename T>
  Result<T> TakeLE() {
    GM_ASSIGN_OR_RETURN(auto s, Take(sizeof(T)));
    T v;
    std::memcpy(&v, s.data(), sizeof(T));
    return v;
  }
  Result<std::string_view> TakeLine();
  Result<std::string_view> TakeSized(uint64_t n) {
    if (n > limits_.max_string) return LimitExceeded("pickle string of {} bytes at offset {} exceeds the {} byte limit", n, op_offset_, limits_.max_string);
    GM_ASSIGN_OR_RETURN(auto s, Take(n));
    return AsText(s);
  }

  // --- stack ---
  Result<Node*> New(NodeKind kind) {
    if (++nodes_created_ > limits_.max_nodes)
      return LimitExceeded("pickle builds more than {} objects (offset {})", limits_.max_nodes, op_offset_);
    return arena_.New(kind);
  }
  Status Push(Node* n) {
    if (stack_.size() >= limits_.max_stack)
      return LimitExceeded("pickle stack deeper than {} at offset {}", limits_.max_stack, op_offset_);
    stack_.push_back(n);
    return OkStatus();
  }
  Result<Node*> Pop() {
    if (stack_.size() <= StackFloor()) return Fail("stack underflow");
    Node* n = stack_.back();
    stack_.pop_back();
    return n;
  }
  Result<Node*> Top() {
    if (stack_.size() <= StackFloor()) return Fail("stack underflow");
    return stack_.back();
  }
  size_t StackFloor() const { return marks_.empty() ? 0 : marks_.back(); }
  Status PushMark() {
    if (marks_.size() >= limits_.max_marks)
      return LimitExceeded("pickle nests more than {} MARKs at offset {}", limits_.max_marks, op_offset_);
    marks_.push_back(stack_.size());
    return OkStatus();
  }
  Result<std::vector<Node*>> PopMark() {
    if (marks_.empty()) return Fail("no MARK to pop to");
    size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Node*> items(stack_.begin() + static_cast<ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }

  // --- value constructors ---
  Status PushInt(int64_t v);
  Status PushBigInt(std::span<const std::byte> le);
  Status PushFloat(double v);
  Status PushString(NodeKind kind, std::string_view text);
  Status PushBool(bool v);
  Result<Node*> MakeTuple(std::vector<Node*> items);
  Status PushGlobal(std::string_view module, std::string_view name);

  // --- opcode groups ---
  Status OpTextNumber(uint8_t op);
  Status OpTextString(uint8_t op);
  Status OpBinaryNumber(uint8_t op);
  Status OpBinaryString(uint8_t op);
  Status OpContainer(uint8_t op);
  Status OpAppend(uint8_t op);
  Status OpSetItems(uint8_t op);
  Status OpMemo(uint8_t op);
  Status OpCall(uint8_t op);
  Status OpBuild();
  Status OpGlobal(uint8_t op);
  Status OpPersId(uint8_t op);
  Status AddToContainer(Node* target, std::vector<Node*> items);
  Status SetItems(Node* target, const std::vector<Node*>& kv);
  Status Call(Node* callable, Node* args);
  Status MemoPut(uint64_t index, Node* value);
  void DeduplicateKeys();
  Result<Node*> MemoGet(uint64_t index);

  NodeArena& arena_;
  PickleHooks& hooks_;
  const PickleLimits& limits_;
  std::span<const std::byte> in_;
  size_t pos_ = 0;
  size_t op_offset_ = 0;
  uint8_t op_ = 0;
  size_t nodes_created_ = 0;
  std::vector<Node*> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, Node*> memo_;
  std::unordered_set<Node*> filled_;     // dicts/objects that received items, for DeduplicateKeys
  std::vector<Node*> filled_order_;
};

Result<std::string_view> Machine::TakeLine() {
  const auto* begin = in_.data() + pos_;
  const void* nl = std::memchr(begin, '\n', in_.size() - pos_);
  if (!nl) return Fail("text argument has no terminating newline");
  size_t n = static_cast<size_t>(static_cast<const std::byte*>(nl) - begin);
  if (n > limits_.max_string) return LimitExceeded("pickle text line of {} bytes at offset {}", n, op_offset_);
  pos_ += n + 1;
  std::string_view line(reinterpret_cast<const char*>(begin), n);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Status Machine::PushInt(int64_t v) {
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kInt));
  n->int_value = v;
  return Push(n);
}
Status Machine::PushBigInt(std::span<const std::byte> le) {
  if (auto v = LittleEndianToInt64(le)) return PushInt(*v);
  if (le.size() > 4096) return LimitExceeded("pickle integer of {} bytes at offset {}", le.size(), op_offset_);
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kBigInt));
  n->text = LittleEndianToDecimal(le);
  return Push(n);
}
Status Machine::PushFloat(double v) {
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kFloat));
  n->float_value = v;
  return Push(n);
}
Status Machine::PushString(NodeKind kind, std::string_view text) {
  GM_ASSIGN_OR_RETURN(Node * n, New(kind));
  n->text.assign(text);
  return Push(n);
}
Status Machine::PushBool(bool v) {
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kBool));
  n->bool_value = v;
  return Push(n);
}
Result<Node*> Machine::MakeTuple(std::vector<Node*> items) {
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kTuple));
  n->items = std::move(items);
  return n;
}
Status Machine::PushGlobal(std::string_view module, std::string_view name) {
  if (Node* typed = hooks_.Global(module, name)) return Push(typed);
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kGlobal));
  n->text = std::string(module) + "." + std::string(name);
  return Push(n);
}

Status Machine::OpTextNumber(uint8_t op) {
  GM_ASSIGN_OR_RETURN(auto line, TakeLine());
  if (op == 'F') {
    auto v = ParseFloatText(line);
    if (!v) return Fail(fmt::format("bad float text '{}'", line.substr(0, 40)));
    return PushFloat(*v);
  }
  if (op == 'I' && (line == "00" || line == "01")) return PushBool(line == "01");
  if (auto v = ParseDecimalInt(line)) return PushInt(*v);
  if (!IsDecimalInteger(line)) return Fail(fmt::format("bad integer text '{}'", line.substr(0, 40)));
  GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kBigInt));
  if (line.back() == 'L') line.remove_suffix(1);
  n->text.assign(line);
  return Push(n);
}

Status Machine::OpTextString(uint8_t op) {
  GM_ASSIGN_OR_RETURN(auto line, TakeLine());
  auto decoded = op == 'S' ? UnquotePythonString(line) : DecodeRawUnicodeEscape(line);
  if (!decoded) return Fail("malformed text string");
  // Protocol-0 STRING is a Python 2 str: bytes that torch reads as text. Keep it as a string.
  return PushString(NodeKind::kString, *decoded);
}

Status Machine::OpBinaryNumber(uint8_t op) {
  switch (op) {
    case 'J': { GM_ASSIGN_OR_RETURN(int32_t v, TakeLE<int32_t>()); return PushInt(v); }
    case 'K': { GM_ASSIGN_OR_RETURN(uint8_t v, TakeLE<uint8_t>()); return PushInt(v); }
    case 'M': { GM_ASSIGN_OR_RETURN(uint16_t v, TakeLE<uint16_t>()); return PushInt(v); }
    case 0x8a: {
      GM_ASSIGN_OR_RETURN(uint8_t n, TakeLE<uint8_t>());
      GM_ASSIGN_OR_RETURN(auto b, Take(n));
      return PushBigInt(b);
    }
    case 0x8b: {
      GM_ASSIGN_OR_RETURN(int32_t n, TakeLE<int32_t>());
      if (n < 0) return Fail("negative LONG4 length");
      if (static_cast<uint64_t>(n) > 4096) return LimitExceeded("pickle integer of {} bytes at offset {}", n, op_offset_);
      GM_ASSIGN_OR_RETURN(auto b, Take(static_cast<uint64_t>(n)));
      return PushBigInt(b);
    }
    case 'G': {
      GM_ASSIGN_OR_RETURN(uint64_t bits, TakeLE<uint64_t>());
      return PushFloat(std::bit_cast<double>(__builtin_bswap64(bits)));  // big-endian double
    }
  }
  return Fail("not a number opcode");
}

Status Machine::OpBinaryString(uint8_t op) {
  uint64_t n = 0;
  switch (op) {
    case 'X': case 'T': case 'B': { GM_ASSIGN_OR_RETURN(uint32_t v, TakeLE<uint32_t>()); n = v; break; }
    case 'U': case 'C': case 0x8c: { GM_ASSIGN_OR_RETURN(uint8_t v, TakeLE<uint8_t>()); n = v; break; }
    case 0x8d: case 0x8e: case 0x96: { GM_ASSIGN_OR_RETURN(uint64_t v, TakeLE<uint64_t>()); n = v; break; }
  }
  if (op == 'T' && static_cast<int32_t>(n) < 0) return Fail("negative BINSTRING length");
  GM_ASSIGN_OR_RETURN(auto text, TakeSized(n));
  bool is_bytes = op == 'B' || op == 'C' || op == 0x8e || op == 0x96;
  return PushString(is_bytes ? NodeKind::kBytes : NodeKind::kString, text);
}

Status Machine::OpContainer(uint8_t op) {
  switch (op) {
    case ']': case '}': case ')': case 0x8f: {
      NodeKind kind = op == ']' ? NodeKind::kList : op == '}' ? NodeKind::kDict
                    : op == ')' ? NodeKind::kTuple : NodeKind::kSet;
      GM_ASSIGN_OR_RETURN(Node * n, New(kind));
      return Push(n);
    }
    case 'l': case 't': case 0x91: {
      GM_ASSIGN_OR_RETURN(auto items, PopMark());
      GM_ASSIGN_OR_RETURN(Node * n, New(op == 'l' ? NodeKind::kList : op == 't' ? NodeKind::kTuple : NodeKind::kSet));
      if (op == 0x91) n->class_name = "frozenset";
      n->items = std::move(items);
      return Push(n);
    }
    case 'd': {
      GM_ASSIGN_OR_RETURN(auto kv, PopMark());
      GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kDict));
      GM_RETURN_IF_ERROR(SetItems(n, kv));
      return Push(n);
    }
    case 0x85: case 0x86: case 0x87: {
      size_t k = op - 0x84u;
      if (stack_.size() < StackFloor() + k) return Fail("stack underflow");
      std::vector<Node*> items(stack_.end() - static_cast<ptrdiff_t>(k), stack_.end());
      stack_.resize(stack_.size() - k);
      GM_ASSIGN_OR_RETURN(Node * n, MakeTuple(std::move(items)));
      return Push(n);
    }
  }
  return Fail("not a container opcode");
}

Status Machine::AddToContainer(Node* target, std::vector<Node*> items) {
  if (target->kind != NodeKind::kList && target->kind != NodeKind::kSet && target->kind != NodeKind::kObject)
    return Fail("appending to a value that is not a list, set or object");
  if (target->items.size() + items.size() > limits_.max_container)
    return LimitExceeded("pickle container over {} items at offset {}", limits_.max_container, op_offset_);
  target->items.insert(target->items.end(), items.begin(), items.end());
  return OkStatus();
}

Status Machine::OpAppend(uint8_t op) {
  if (op == 'a') {
    GM_ASSIGN_OR_RETURN(Node * value, Pop());
    GM_ASSIGN_OR_RETURN(Node * target, Top());
    return AddToContainer(target, {value});
  }
  GM_ASSIGN_OR_RETURN(auto items, PopMark());  // APPENDS, ADDITEMS
  GM_ASSIGN_OR_RETURN(Node * target, Top());
  return AddToContainer(target, std::move(items));
}

Status Machine::SetItems(Node* target, const std::vector<Node*>& kv) {
  if (kv.size() % 2 != 0) return Fail("odd number of items for a dict");
  // SETITEM on anything but a dict or an object is refused (torch's CVE-2026-24747 lesson).
  if (target->kind != NodeKind::kDict && target->kind != NodeKind::kObject)
    return Fail("setting items on a value that is not a dict");
  if (target->entries.size() + kv.size() / 2 > limits_.max_container)
    return LimitExceeded("pickle dict over {} items at offset {}", limits_.max_container, op_offset_);
  for (size_t i = 0; i < kv.size(); i += 2) target->entries.emplace_back(kv[i], kv[i + 1]);
  if (filled_.insert(target).second) filled_order_.push_back(target);
  return OkStatus();
}

// Python keeps one entry per key: the first position, the last value. Scalar keys are compared
// by value; other keys (tuples, objects) by identity.
void Machine::DeduplicateKeys() {
  for (Node* d : filled_order_) {
    if (d->entries.size() < 2) continue;
    std::unordered_map<std::string, size_t> position;
    std::vector<std::pair<Node*, Node*>> unique;
    for (auto [k, v] : d->entries) {
      std::string id = fmt::format("{}:{}", static_cast<int>(k->kind),
                                   k->kind == NodeKind::kInt    ? std::to_string(k->int_value)
                                   : k->kind == NodeKind::kBool ? std::to_string(k->bool_value)
                                   : k->kind == NodeKind::kString || k->kind == NodeKind::kBigInt
                                       ? k->text
                                       : fmt::format("{}", static_cast<const void*>(k)));
      auto [it, fresh] = position.try_emplace(std::move(id), unique.size());
      if (fresh) unique.emplace_back(k, v);
      else unique[it->second].second = v;
    }
    d->entries = std::move(unique);
  }
}

Status Machine::OpSetItems(uint8_t op) {
  std::vector<Node*> kv;
  if (op == 's') {
    GM_ASSIGN_OR_RETURN(Node * value, Pop());
    GM_ASSIGN_OR_RETURN(Node * key, Pop());
    kv = {key, value};
  } else {
    GM_ASSIGN_OR_RETURN(kv, PopMark());
  }
  GM_ASSIGN_OR_RETURN(Node * target, Top());
  return SetItems(target, kv);
}

Status Machine::MemoPut(uint64_t index, Node* value) {
  if (memo_.size() >= limits_.max_memo && !memo_.contains(index))
    return LimitExceeded("pickle memo over {} entries at offset {}", limits_.max_memo, op_offset_);
  memo_[index] = value;
  return OkStatus();
}

Result<Node*> Machine::MemoGet(uint64_t index) {
  auto it = memo_.find(index);
  if (it == memo_.end()) return Fail(fmt::format("memo key {} was never stored", index));
  return it->second;
}

Status Machine::OpMemo(uint8_t op) {
  switch (op) {
    case 'p': case 'g': {
      GM_ASSIGN_OR_RETURN(auto line, TakeLine());
      auto idx = ParseDecimalInt(line);
      if (!idx || *idx < 0) return Fail("bad memo index text");
      if (op == 'g') {
        GM_ASSIGN_OR_RETURN(Node * n, MemoGet(static_cast<uint64_t>(*idx)));
        return Push(n);
      }
      GM_ASSIGN_OR_RETURN(Node * top, Top());
      return MemoPut(static_cast<uint64_t>(*idx), top);
    }
    case 'q': { GM_ASSIGN_OR_RETURN(uint8_t i, TakeLE<uint8_t>()); GM_ASSIGN_OR_RETURN(Node * t, Top()); return MemoPut(i, t); }
    case 'r': { GM_ASSIGN_OR_RETURN(uint32_t i, TakeLE<uint32_t>()); GM_ASSIGN_OR_RETURN(Node * t, Top()); return MemoPut(i, t); }
    case 0x94: { GM_ASSIGN_OR_RETURN(Node * t, Top()); return MemoPut(memo_.size(), t); }
    case 'h': { GM_ASSIGN_OR_RETURN(uint8_t i, TakeLE<uint8_t>()); GM_ASSIGN_OR_RETURN(Node * n, MemoGet(i)); return Push(n); }
    case 'j': { GM_ASSIGN_OR_RETURN(uint32_t i, TakeLE<uint32_t>()); GM_ASSIGN_OR_RETURN(Node * n, MemoGet(i)); return Push(n); }
  }
  return Fail("not a memo opcode");
}

Status Machine::Call(Node* callable, Node* args) {
  GM_ASSIGN_OR_RETURN(Node * typed, hooks_.Call(callable, args));
  if (typed) return Push(typed);
  GM_ASSIGN_OR_RETURN(Node * obj, New(NodeKind::kObject));
  obj->class_name = callable->kind == NodeKind::kGlobal ? callable->text : "<computed callable>";
  obj->args = args;
  return Push(obj);
}

Status Machine::OpCall(uint8_t op) {
  switch (op) {
    case 'R': case 0x81: {  // REDUCE(callable, args), NEWOBJ(cls, args)
      GM_ASSIGN_OR_RETURN(Node * args, Pop());
      GM_ASSIGN_OR_RETURN(Node * callable, Pop());
      if (args->kind != NodeKind::kTuple) return Fail("call arguments are not a tuple");
      return Call(callable, args);
    }
    case 0x92: {  // NEWOBJ_EX(cls, args, kwargs)
      GM_ASSIGN_OR_RETURN(Node * kwargs, Pop());
      GM_ASSIGN_OR_RETURN(Node * args, Pop());
      GM_ASSIGN_OR_RETURN(Node * cls, Pop());
      if (args->kind != NodeKind::kTuple) return Fail("call arguments are not a tuple");
      GM_RETURN_IF_ERROR(Call(cls, args));
      if (!kwargs->entries.empty() && stack_.back()->kind == NodeKind::kObject) stack_.back()->entries = kwargs->entries;
      return OkStatus();
    }
    case 'i': {  // INST module\nname\n: class from text, args from MARK
      GM_ASSIGN_OR_RETURN(auto module, TakeLine());
      GM_ASSIGN_OR_RETURN(auto name, TakeLine());
      GM_ASSIGN_OR_RETURN(auto items, PopMark());
      GM_RETURN_IF_ERROR(PushGlobal(module, name));
      Node* cls = stack_.back();
      stack_.pop_back();
      GM_ASSIGN_OR_RETURN(Node * args, MakeTuple(std::move(items)));
      return Call(cls, args);
    }
    case 'o': {  // OBJ: MARK cls args... 
      GM_ASSIGN_OR_RETURN(auto items, PopMark());
      if (items.empty()) return Fail("OBJ without a class");
      Node* cls = items.front();
      GM_ASSIGN_OR_RETURN(Node * args, MakeTuple(std::vector<Node*>(items.begin() + 1, items.end())));
      return Call(cls, args);
    }
  }
  return Fail("not a call opcode");
}

Status Machine::OpBuild() {
  GM_ASSIGN_OR_RETURN(Node * state, Pop());
  GM_ASSIGN_OR_RETURN(Node * target, Top());
  if (target->kind == NodeKind::kObject || target->kind == NodeKind::kDict) {
    target->state = state;  // a later BUILD replaces: pickle applies them in order
    return OkStatus();
  }
  if (hooks_.Build(target, state)) return OkStatus();
  // Any other target: the state is inert data we have no place for; keep reading.
  return OkStatus();
}

Status Machine::OpGlobal(uint8_t op) {
  if (op == 'c') {
    GM_ASSIGN_OR_RETURN(auto module, TakeLine());
    GM_ASSIGN_OR_RETURN(auto name, TakeLine());
    return PushGlobal(module, name);
  }
  GM_ASSIGN_OR_RETURN(Node * name, Pop());  // STACK_GLOBAL
  GM_ASSIGN_OR_RETURN(Node * module, Pop());
  if (module->kind != NodeKind::kString || name->kind != NodeKind::kString)
    return Fail("STACK_GLOBAL operands are not strings");
  return PushGlobal(module->text, name->text);
}

Status Machine::OpPersId(uint8_t op) {
  Node* pid = nullptr;
  if (op == 'P') {
    GM_ASSIGN_OR_RETURN(auto line, TakeLine());
    GM_ASSIGN_OR_RETURN(pid, New(NodeKind::kString));
    pid->text.assign(line);
  } else {
    GM_ASSIGN_OR_RETURN(pid, Pop());
  }
  auto loaded = hooks_.PersistentLoad(pid);
  if (!loaded.ok()) return loaded.status().WithContext(fmt::format("pickle offset {}", op_offset_));
  return Push(*loaded);
}

Status Machine::Step(uint8_t op, bool& stop) {
  switch (op) {
    case '.': stop = true; return OkStatus();
    case '(': return PushMark();
    case '0': return Pop().status();
    case '1': return PopMark().status();
    case '2': { GM_ASSIGN_OR_RETURN(Node * t, Top()); return Push(t); }
    case 'N': { GM_ASSIGN_OR_RETURN(Node * n, New(NodeKind::kNone)); return Push(n); }
    case 0x88: case 0x89: return PushBool(op == 0x88);
    case 'F': case 'I': case 'L': return OpTextNumber(op);
    case 'S': case 'V': return OpTextString(op);
    case 'J': case 'K': case 'M': case 0x8a: case 0x8b: case 'G': return OpBinaryNumber(op);
    case 'X': case 'T': case 'U': case 'B': case 'C': case 0x8c: case 0x8d: case 0x8e: case 0x96:
      return OpBinaryString(op);
    case ']': case '}': case ')': case 0x8f: case 'l': case 't': case 0x91: case 'd':
    case 0x85: case 0x86: case 0x87:
      return OpContainer(op);
    case 'a': case 'e': case 0x90: return OpAppend(op);
    case 's': case 'u': return OpSetItems(op);
    case 'p': case 'g': case 'q': case 'r': case 0x94: case 'h': case 'j': return OpMemo(op);
    case 'R': case 0x81: case 0x92: case 'i': case 'o': return OpCall(op);
    case 'b': return OpBuild();
    case 'c': case 0x93: return OpGlobal(op);
    case 'P': case 'Q': return OpPersId(op);
    case 0x80: {  // PROTO
      GM_ASSIGN_OR_RETURN(uint8_t proto, TakeLE<uint8_t>());
      if (proto > 5) return Fail(fmt::format("unsupported pickle protocol {}", proto));
      return OkStatus();
    }
    case 0x95: return Take(8).status();  // FRAME: a framing hint; contents are read as usual
    case 0x97: case 0x98:
      return Unsupported("pickle opcode 0x{:02x} at offset {}: out-of-band buffers are not part of a file", op, op_offset_);
    case 0x82: case 0x83: case 0x84: {  // EXT1/2/4: the copyreg extension registry; unresolvable
      uint64_t code = 0;
      if (op == 0x82) { GM_ASSIGN_OR_RETURN(uint8_t v, TakeLE<uint8_t>()); code = v; }
      if (op == 0x83) { GM_ASSIGN_OR_RETURN(uint16_t v, TakeLE<uint16_t>()); code = v; }
      if (op == 0x84) { GM_ASSIGN_OR_RETURN(uint32_t v, TakeLE<uint32_t>()); code = v; }
      return PushGlobal("copyreg.extension", std::to_string(code));
    }
  }
  return Fail("unknown opcode");
}

Result<Node*> Machine::Run(size_t* consumed) {
  while (pos_ < in_.size()) {
    op_offset_ = pos_;
    op_ = static_cast<uint8_t>(in_[pos_++]);
    bool stop = false;
    GM_RETURN_IF_ERROR(Step(op_, stop));
    if (stop) {
      if (stack_.empty()) return Fail("STOP with an empty stack");
      if (consumed) *consumed = pos_;
      DeduplicateKeys();
      return stack_.back();
    }
  }
  return Corrupt("pickle ends at offset {} without a STOP opcode (truncated?)", in_.size());
}

}  // namespace

Result<Node*> PickleReader::Read(std::span<const std::byte> bytes, size_t* consumed) {
  Machine machine(arena_, hooks_, limits_, bytes);
  return machine.Run(consumed);
}

}  // namespace gitmodel
