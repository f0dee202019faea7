// The symbolic opcode walk behind ScanPickle (pickle_scan.h). Opcode semantics follow CPython's
// Lib/pickle.py; stack effects are modelled for every opcode, values only as far as imports need.
#include "scan/pickle_scan.h"

#include <fmt/core.h>

#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace gitmodel {
namespace {

// What the scan knows about one stack value. Tuples keep up to three flat items (enough for
// getattr's (class, name) and STACK_GLOBAL's operands); nested tuples are plain values, so no
// structure ever grows with the input.
struct Sym {
  enum Kind { kValue, kString, kGlobal, kTuple } kind = kValue;
  std::string module, name;  // kString: name is the text; kGlobal: both
  std::string note;          // kValue: where it came from, for messages ("missing memo 3")
  uint64_t getattr_id = 0;   // kGlobal of builtins.getattr: which GLOBAL opcode made it (1-based)
  std::shared_ptr<std::vector<Sym>> items;  // kTuple
};

Sym Value(std::string note = "") { Sym s; s.note = std::move(note); return s; }

std::string Describe(const Sym& s) {
  switch (s.kind) {
    case Sym::kString: return fmt::format("'{}'", s.name);
    case Sym::kGlobal: return fmt::format("the import {}.{}", s.module, s.name);
    case Sym::kTuple: return "a tuple";
    default: return s.note.empty() ? "a computed value" : s.note;
  }
}

class Walker {
 public:
  Walker(std::span<const std::byte> in, const PickleScanOptions& o, std::vector<Finding>* out)
      : in_(in), o_(o), out_(out) {}
  PickleScanOutcome Run();

 private:
  // Each returns false with error_ set when the walk cannot continue.
  bool Step(uint8_t op);
  bool Fail(std::string what) { error_ = fmt::format("opcode 0x{:02x} at offset {}: {}", op_, At(), what); return false; }
  uint64_t At() const { return o_.base_offset + op_offset_; }

  bool Take(uint64_t n, std::span<const std::byte>* s);
  template <typename T> bool TakeLE(T* v) {
    std::span<const std::byte> s;
    if (!Take(sizeof(T), &s)) return false;
    std::memcpy(v, s.data(), sizeof(T));
    return true;
  }
  bool TakeLine(std::string_view* line);
  bool TakeSized(uint64_t n, Sym::Kind kind);

  bool Push(Sym s);
  Sym Pop() { if (stack_.size() <= Floor()) return Value("a missing stack value"); Sym s = std::move(stack_.back()); stack_.pop_back(); return s; }
  size_t Floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Sym> PopMark();
  bool PushMark() { if (marks_.size() >= o_.limits.max_marks) return Fail("too many nested MARKs"); marks_.push_back(stack_.size()); return true; }
  bool PushString(std::string_view text);
  bool MemoPut(uint64_t key);
  bool MemoGet(uint64_t key);

  bool OpTuple(size_t n);
  bool OpStackGlobal();
  bool OpReduce();
  bool OpBuild();
  bool OpExtension(uint32_t code);
  bool OpGlobalText(bool inst);
  bool Import(std::string_view module, std::string_view name, Sym* result);
  void Report(Severity sev, std::string import, std::string message);
  void ReportUnresolvedGetattr();

  std::span<const std::byte> in_;
  const PickleScanOptions& o_;
  std::vector<Finding>* out_;
  size_t pos_ = 0, op_offset_ = 0;
  uint8_t op_ = 0;
  std::string error_;
  std::vector<Sym> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, Sym> memo_;
  std::unordered_set<std::string> reported_;
  size_t findings_ = 0, dropped_ = 0;
  // builtins.getattr GLOBALs (by id) -> offset; erased once a REDUCE resolves them statically.
  std::unordered_map<uint64_t, uint64_t> pending_getattr_;
  uint64_t next_getattr_id_ = 1;
};

bool Walker::Take(uint64_t n, std::span<const std::byte>* s) {
  if (n > in_.size() - pos_) return Fail(fmt::format("needs {} bytes, only {} remain", n, in_.size() - pos_));
  *s = in_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool Walker::TakeLine(std::string_view* line) {
  const void* nl = std::memchr(in_.data() + pos_, '\n', in_.size() - pos_);
  if (!nl) return Fail("text argument has no terminating newline");
  size_t len = static_cast<size_t>(static_cast<const std::byte*>(nl) - (in_.data() + pos_));
  *line = std::string_view(reinterpret_cast<const char*>(in_.data() + pos_), len);
  pos_ += len + 1;
  return true;
}

bool Walker::Push(Sym s) {
  if (stack_.size() >= o_.limits.max_stack) return Fail("stack deeper than the scan's limit");
  stack_.push_back(std::move(s));
  return true;
}

std::vector<Sym> Walker::PopMark() {
  size_t m = marks_.empty() ? 0 : marks_.back();
  if (!marks_.empty()) marks_.pop_back();
  std::vector<Sym> items(std::make_move_iterator(stack_.begin() + static_cast<ptrdiff_t>(m)),
                         std::make_move_iterator(stack_.end()));
  stack_.resize(m);
  return items;
}

bool Walker::PushString(std::string_view text) {
  if (text.size() > o_.limits.max_text) return Push(Value("a long string"));
  Sym s;
  s.kind = Sym::kString;
  s.name.assign(text);
  return Push(std::move(s));
}

bool Walker::TakeSized(uint64_t n, Sym::Kind kind) {
  std::span<const std::byte> s;
  if (!Take(n, &s)) return false;
  if (kind != Sym::kString) return Push(Value("a bytes value"));
  return PushString(std::string_view(reinterpret_cast<const char*>(s.data()), s.size()));
}

bool Walker::MemoPut(uint64_t key) {
  if (memo_.size() >= o_.limits.max_memo && !memo_.contains(key)) return Fail("memo larger than the scan's limit");
  memo_[key] = stack_.size() > Floor() ? stack_.back() : Value("a missing stack value");
  return true;
}

bool Walker::MemoGet(uint64_t key) {
  auto it = memo_.find(key);
  // The unpickler raises KeyError here; the scan goes on so that a payload placed after it is
  // still seen, and the value stays unknown (any import computed from it is unresolvable).
  return Push(it == memo_.end() ? Value(fmt::format("missing memo entry {}", key)) : it->second);
}

bool Walker::OpTuple(size_t n) {
  std::vector<Sym> items(n);
  for (size_t i = n; i-- > 0;) items[i] = Pop();
  Sym t;
  t.kind = Sym::kTuple;
  t.items = std::make_shared<std::vector<Sym>>();
  for (Sym& s : items) t.items->push_back(s.kind == Sym::kTuple ? Value("a tuple") : std::move(s));
  return Push(std::move(t));
}

void Walker::Report(Severity sev, std::string import, std::string message) {
  if (!reported_.insert(fmt::format("{}|{}", static_cast<int>(sev), import.empty() ? message : import)).second) return;
  if (findings_ >= o_.limits.max_findings) { ++dropped_; return; }
  ++findings_;
  out_->push_back(Finding{sev, o_.member, At(), true, std::move(import), std::move(message)});
}

bool Walker::Import(std::string_view module, std::string_view name, Sym* result) {
  result->kind = Sym::kGlobal;
  result->module.assign(module);
  result->name.assign(name);
  std::string dotted = CanonicalImport(module, name);
  if (dotted == "builtins.getattr") {  // judged when the REDUCE that uses it is seen
    result->getattr_id = next_getattr_id_++;
    pending_getattr_[result->getattr_id] = At();
    return true;
  }
  if (o_.torchscript && module.starts_with("__torch__")) return true;  // the archive's own classes
  ImportJudgement j = o_.policy->Judge(module, name);
  if (j.verdict == ImportVerdict::kCritical) Report(Severity::kCritical, dotted, fmt::format("imports {}: {}", dotted, j.reason));
  if (j.verdict == ImportVerdict::kUnknown) Report(Severity::kUnknown, dotted, fmt::format("unknown class {}: {}", dotted, j.reason));
  return true;
}

bool Walker::OpGlobalText(bool inst) {
  std::string_view module, name;
  if (!TakeLine(&module) || !TakeLine(&name)) return false;
  Sym g;
  Import(module, name, &g);
  if (inst) PopMark();
  return Push(inst ? Value("an instance") : std::move(g));
}

bool Walker::OpStackGlobal() {
  Sym name = Pop(), module = Pop();
  if (module.kind != Sym::kString || name.kind != Sym::kString) {
    Report(Severity::kCritical, "", fmt::format("STACK_GLOBAL imports a name the scan cannot resolve (module: {}, name: {})",
                                                Describe(module), Describe(name)));
    return Push(Value("an unresolved import"));
  }
  Sym g;
  Import(module.name, name.name, &g);
  return Push(std::move(g));
}

// REDUCE: getattr(imported, 'attr') is the import imported.attr; other calls give a value.
bool Walker::OpReduce() {
  Sym args = Pop(), callable = Pop();
  if (callable.kind == Sym::kGlobal && callable.getattr_id != 0) {
    const auto* items = args.kind == Sym::kTuple ? args.items.get() : nullptr;
    if (items && items->size() == 2 && (*items)[0].kind == Sym::kGlobal && (*items)[0].getattr_id == 0 &&
        (*items)[1].kind == Sym::kString) {
      pending_getattr_.erase(callable.getattr_id);
      Sym g;
      Import((*items)[0].module, fmt::format("{}.{}", (*items)[0].name, (*items)[1].name), &g);
      return Push(std::move(g));
    }
    Report(Severity::kCritical, "builtins.getattr",
           fmt::format("getattr on {} that the scan cannot resolve: it can reach any attribute",
                       items && !items->empty() ? Describe((*items)[0]) : "operands"));
    pending_getattr_.erase(callable.getattr_id);
  }
  return Push(Value("a call's result"));
}

bool Walker::OpBuild() {
  Pop();  // state
  if (stack_.size() > Floor() && stack_.back().kind == Sym::kGlobal) {
    const Sym& g = stack_.back();
    Report(Severity::kCritical, CanonicalImport(g.module, g.name),
           fmt::format("BUILD sets attributes on the imported {}: it rewrites a module or class", CanonicalImport(g.module, g.name)));
  }
  return true;
}

bool Walker::OpExtension(uint32_t code) {
  Report(Severity::kCritical, "", fmt::format("EXT opcode imports extension-registry code {}, which the scan cannot resolve", code));
  return Push(Value("an extension-registry import"));
}

void Walker::ReportUnresolvedGetattr() {
  for (auto [id, offset] : pending_getattr_) {
    if (findings_ >= o_.limits.max_findings) break;
    ++findings_;
    out_->push_back(Finding{Severity::kCritical, o_.member, offset, true, "builtins.getattr",
                            "imports builtins.getattr: it can reach any attribute of any object"});
    break;  // one is enough
  }
  pending_getattr_.clear();
}

}  // namespace

bool IsPickleOpcode(uint8_t op) {
  static constexpr std::string_view kOps = "(.012NFIJKLMPQRSTUVXabcdeghijlopqrstu}])";
  if (op >= 0x80 && op <= 0x98) return true;
  return op != 0 && kOps.find(static_cast<char>(op)) != std::string_view::npos;
}

namespace {

// Protocol-0 quoted strings (STRING 'S'): repr() text. Simple escapes are decoded; anything else
// leaves the value unresolved (no real module name needs them).
std::optional<std::string> Unquote(std::string_view line) {
  if (line.size() < 2 || (line[0] != '\'' && line[0] != '"') || line.back() != line[0]) return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < line.size(); ++i) {
    if (line[i] != '\\') { out += line[i]; continue; }
    if (++i + 1 >= line.size()) return std::nullopt;
    switch (line[i]) {
      case '\\': case '\'': case '"': out += line[i]; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      default: return std::nullopt;
    }
  }
  return out;
}

// PUT/GET text keys: int(line) in CPython; digits only here (no sign, at most 18 digits).
std::optional<uint64_t> DecimalKey(std::string_view line) {
  if (line.empty() || line.size() > 18) return std::nullopt;
  uint64_t v = 0;
  for (char c : line) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

bool Walker::Step(uint8_t op) {
  std::string_view line;
  switch (op) {
    case '(': return PushMark();
    case '0': Pop(); return true;
    case '1': PopMark(); return true;
    case '2': { Sym t = stack_.size() > Floor() ? stack_.back() : Value(); return Push(std::move(t)); }
    case 'N': case 0x88: case 0x89: case ']': case '}': case ')': case 0x8f: return Push(Value());
    case 'F': case 'I': case 'L': return TakeLine(&line) && Push(Value("a number"));
    case 'J': { uint32_t v; return TakeLE(&v) && Push(Value("a number")); }
    case 'K': { uint8_t v; return TakeLE(&v) && Push(Value("a number")); }
    case 'M': { uint16_t v; return TakeLE(&v) && Push(Value("a number")); }
    case 'G': { uint64_t v; return TakeLE(&v) && Push(Value("a number")); }
    case 0x8a: { uint8_t n; return TakeLE(&n) && TakeSized(n, Sym::kValue); }
    case 0x8b: { int32_t n; if (!TakeLE(&n)) return false; if (n < 0) return Fail("negative LONG4 length"); return TakeSized(static_cast<uint32_t>(n), Sym::kValue); }
    case 'S': {
      if (!TakeLine(&line)) return false;
      auto text = Unquote(line);
      return text ? PushString(*text) : Push(Value("an undecodable string"));
    }
    case 'V': {  // raw-unicode-escape: text without backslashes is itself
      if (!TakeLine(&line)) return false;
      return line.find('\\') == line.npos ? PushString(line) : Push(Value("an escaped string"));
    }
    case 'X': case 'T': { uint32_t n; return TakeLE(&n) && TakeSized(n, Sym::kString); }
    case 'U': case 0x8c: { uint8_t n; return TakeLE(&n) && TakeSized(n, Sym::kString); }
    case 0x8d: { uint64_t n; return TakeLE(&n) && TakeSized(n, Sym::kString); }
    case 'B': { uint32_t n; return TakeLE(&n) && TakeSized(n, Sym::kValue); }
    case 'C': { uint8_t n; return TakeLE(&n) && TakeSized(n, Sym::kValue); }
    case 0x8e: case 0x96: { uint64_t n; return TakeLE(&n) && TakeSized(n, Sym::kValue); }
    case 'l': case 'd': case 0x91: PopMark(); return Push(Value());
    case 't': { std::vector<Sym> items = PopMark(); if (items.size() <= 3) { for (Sym& s : items) if (!Push(std::move(s))) return false; return OpTuple(items.size()); } return Push(Value("a tuple")); }
    case 0x85: return OpTuple(1);
    case 0x86: return OpTuple(2);
    case 0x87: return OpTuple(3);
    case 'a': Pop(); return true;
    case 's': Pop(); Pop(); return true;
    case 'e': case 'u': case 0x90: PopMark(); return true;
    case 'p': case 'g': {
      if (!TakeLine(&line)) return false;
      auto key = DecimalKey(line);
      if (!key) return Fail("memo key is not a decimal number");
      return op == 'p' ? MemoPut(*key) : MemoGet(*key);
    }
    case 'q': { uint8_t k; return TakeLE(&k) && MemoPut(k); }
    case 'r': { uint32_t k; return TakeLE(&k) && MemoPut(k); }
    case 0x94: return MemoPut(memo_.size());
    case 'h': { uint8_t k; return TakeLE(&k) && MemoGet(k); }
    case 'j': { uint32_t k; return TakeLE(&k) && MemoGet(k); }
    case 'c': return OpGlobalText(false);
    case 'i': return OpGlobalText(true);
    case 0x93: return OpStackGlobal();
    case 'R': return OpReduce();
    case 0x81: Pop(); Pop(); return Push(Value("a new object"));
    case 0x92: Pop(); Pop(); Pop(); return Push(Value("a new object"));
    case 'o': PopMark(); return Push(Value("a new object"));
    case 'b': return OpBuild();
    case 'P': return TakeLine(&line) && Push(Value("a persistent object"));
    case 'Q': Pop(); return Push(Value("a persistent object"));
    case 0x80: { uint8_t v; if (!TakeLE(&v)) return false; if (v > 5) return Fail(fmt::format("unsupported protocol {}", v)); return true; }
    case 0x95: { uint64_t v; return TakeLE(&v); }
    case 0x97: return Push(Value("an out-of-band buffer"));
    case 0x98: return true;
    case 0x82: { uint8_t c; return TakeLE(&c) && OpExtension(c); }
    case 0x83: { uint16_t c; return TakeLE(&c) && OpExtension(c); }
    case 0x84: { uint32_t c; return TakeLE(&c) && OpExtension(c); }
    default: return Fail("not a pickle opcode");
  }
}

PickleScanOutcome Walker::Run() {
  PickleScanOutcome result;
  bool first = true;
  while (pos_ < in_.size()) {
    op_offset_ = pos_;
    op_ = static_cast<uint8_t>(in_[pos_++]);
    if (op_ == '.') { result.reached_stop = true; break; }
    if (first && !IsPickleOpcode(op_)) { result.not_a_pickle = true; Fail("not a pickle opcode"); break; }
    first = false;
    if (!Step(op_)) break;
  }
  if (!result.reached_stop && error_.empty()) error_ = fmt::format("ends at offset {} without a STOP opcode", o_.base_offset + pos_);
  ReportUnresolvedGetattr();
  if (dropped_) out_->push_back(Finding{Severity::kInfo, o_.member, 0, false, "", fmt::format("{} more findings not shown", dropped_)});
  result.consumed = pos_;
  result.error = result.reached_stop ? "" : error_;
  return result;
}

}  // namespace

PickleScanOutcome ScanPickle(std::span<const std::byte> bytes, const PickleScanOptions& options,
                             std::vector<Finding>* out) {
  return Walker(bytes, options, out).Run();
}

}  // namespace gitmodel
