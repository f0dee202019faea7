// Test-only: a pickle writer for the malformed-input generator. Opcodes are written by hand, which
// is the point: it writes what no pickler would (unknown opcodes, huge lengths, persistent ids that
// lie) as easily as torch.save's own persistent-id + _rebuild_tensor_v2 pattern.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel::malformed {

using Bytes = std::vector<std::byte>;

class Pickle {
 public:
  Pickle& Op(uint8_t op) { return U(op, 1); }
  Pickle& Ops(uint8_t op, size_t n) {
    out_.insert(out_.end(), n, std::byte{op});
    return *this;
  }
  Pickle& U(uint64_t v, int width) {
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<std::byte>(v >> (8 * i) & 0xFF));
    return *this;
  }
  Pickle& Text(std::string_view s) {
    for (char c : s) out_.push_back(static_cast<std::byte>(c));
    return *this;
  }
  Pickle& Proto(int p = 2) { return Op(0x80).U(p, 1); }
  Pickle& Global(std::string_view module, std::string_view name) {
    return Op('c').Text(module).Text("\n").Text(name).Text("\n");
  }
  Pickle& Str(std::string_view s) { return Op('X').U(s.size(), 4).Text(s); }  // BINUNICODE
  Pickle& Int(int64_t v) {
    if (v >= INT32_MIN && v <= INT32_MAX) return Op('J').U(static_cast<uint32_t>(v), 4);  // BININT
    return Op(0x8a).U(8, 1).U(static_cast<uint64_t>(v), 8);                                // LONG1
  }
  Pickle& Ints(const std::vector<int64_t>& v) {  // MARK ints TUPLE
    Op('(');
    for (int64_t x : v) Int(x);
    return Op('t');
  }
  Pickle& Mark() { return Op('('); }
  Pickle& Tuple() { return Op('t'); }
  Pickle& EmptyTuple() { return Op(')'); }
  Pickle& EmptyList() { return Op(']'); }
  Pickle& EmptyDict() { return Op('}'); }
  Pickle& SetItem() { return Op('s'); }
  Pickle& SetItems() { return Op('u'); }
  Pickle& Reduce() { return Op('R'); }
  Pickle& False() { return Op(0x89); }
  Pickle& None() { return Op('N'); }
  Pickle& BinPersId() { return Op('Q'); }
  Pickle& Stop() { return Op('.'); }
  Pickle& OrderedDict() { return Global("collections", "OrderedDict").EmptyTuple().Reduce(); }
  const Bytes& bytes() const { return out_; }

 private:
  Bytes out_;
};

// One tensor as torch.save pickles it: _rebuild_tensor_v2(pid, offset, size, stride, False, {}).
struct TensorSpec {
  std::string name;
  std::string key;
  int64_t numel = 0;
  std::vector<int64_t> size, stride;
  int64_t offset = 0;
  std::string storage_class = "FloatStorage";
  bool legacy = false;  // 6-tuple persistent id with view metadata None
};

inline void PersistentId(Pickle& p, const TensorSpec& t) {
  p.Mark().Str("storage").Global("torch", t.storage_class).Str(t.key).Str("cpu").Int(t.numel);
  if (t.legacy) p.None();
  p.Tuple().BinPersId();
}

inline void RebuildTensor(Pickle& p, const TensorSpec& t) {
  p.Global("torch._utils", "_rebuild_tensor_v2").Mark();
  PersistentId(p, t);
  p.Int(t.offset).Ints(t.size).Ints(t.stride).False().OrderedDict().Tuple().Reduce();
}

// PROTO 2, OrderedDict() then {name: tensor} via SETITEMS, STOP.
inline Bytes StateDict(const std::vector<TensorSpec>& tensors) {
  Pickle p;
  p.Proto().OrderedDict().Mark();
  for (const TensorSpec& t : tensors) {
    p.Str(t.name);
    RebuildTensor(p, t);
  }
  return p.SetItems().Stop().bytes();
}

}  // namespace gitmodel::malformed
