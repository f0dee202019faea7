#include "formats/node_text.h"

#include <cmath>

#include <fmt/format.h>

#include "formats/pickle_text.h"

namespace gitmodel {

std::string KeyText(const Node* key) {
  switch (key->kind) {
    case NodeKind::kString: return key->text;
    case NodeKind::kInt: return std::to_string(key->int_value);
    case NodeKind::kBigInt: return key->text;
    case NodeKind::kBool: return key->bool_value ? "True" : "False";
    case NodeKind::kFloat: return fmt::format("{}", key->float_value);
    case NodeKind::kNone: return "None";
    case NodeKind::kTuple: {
      std::string out;
      for (const Node* item : key->items) out += (out.empty() ? "" : ",") + KeyText(item);
      return "(" + out + ")";
    }
    default: return ShortRepr(key, 40);
  }
}

namespace {

std::string FloatText(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

std::string Cut(std::string s, size_t max_len) {
  if (s.size() <= max_len) return s;
  s.resize(max_len > 3 ? max_len - 3 : 0);
  // Do not end inside a UTF-8 sequence.
  while (!s.empty() && (static_cast<uint8_t>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && static_cast<uint8_t>(s.back()) >= 0xC0) s.pop_back();
  return s + "...";
}

std::string ContainerRepr(const Node* n) {
  switch (n->kind) {
    case NodeKind::kList: return fmt::format("list({})", n->items.size());
    case NodeKind::kTuple: return fmt::format("{}({})", n->class_name.empty() ? "tuple" : n->class_name, n->items.size());
    case NodeKind::kSet: return fmt::format("{}({})", n->class_name.empty() ? "set" : n->class_name, n->items.size());
    case NodeKind::kDict: return fmt::format("{}({})", n->class_name.empty() ? "dict" : n->class_name, n->entries.size());
    default: return fmt::format("{}(...)", n->class_name);
  }
}

}  // namespace

std::string ShortRepr(const Node* n, size_t max_len) {
  std::string s;
  switch (n->kind) {
    case NodeKind::kNone: s = "None"; break;
    case NodeKind::kBool: s = n->bool_value ? "True" : "False"; break;
    case NodeKind::kInt: s = std::to_string(n->int_value); break;
    case NodeKind::kBigInt: s = n->text; break;
    case NodeKind::kFloat: s = FloatText(n->float_value); break;
    case NodeKind::kComplex: s = fmt::format("({}{:+}j)", FloatText(n->float_value), n->imag_value); break;
    case NodeKind::kString: s = "'" + ValidUtf8(n->text) + "'"; break;
    case NodeKind::kBytes: s = fmt::format("bytes({})", n->text.size()); break;
    case NodeKind::kTensor: s = "tensor"; break;
    case NodeKind::kStorage: s = "storage " + n->text; break;
    case NodeKind::kGlobal: s = n->text; break;
    case NodeKind::kEnum: s = n->class_name + "." + n->text; break;
    case NodeKind::kDevice: s = "device('" + n->text + "')"; break;
    case NodeKind::kDType: s = n->text; break;
    default: s = ContainerRepr(n); break;
  }
  return Cut(std::move(s), max_len);
}

std::string ValidUtf8(std::string_view text, bool escape_controls) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<uint8_t>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<uint8_t>(text[i + k]) & 0xC0) == 0x80;
    if (ok && escape_controls && len == 1 && (c < 0x20 || c == 0x7f)) {
      out += fmt::format("\\x{:02x}", c);
    } else if (ok) {
      out.append(text.substr(i, len));
    } else {
      AppendUtf8(out, 0xFFFD);
      len = 1;
    }
    i += len;
  }
  return out;
}

}  // namespace gitmodel
