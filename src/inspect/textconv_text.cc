#include "inspect/textconv_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>
#include <string_view>

#include "base/sha256.h"
#include "diff/content_tree.h"
#include "inspect/inspect.h"

namespace gitmodel {
namespace {

constexpr size_t kShortHash = 16;

// Names and keys come from the file: a newline in one must not split its line.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

// Long values (a config blob, a provenance record) are cut at a UTF-8 boundary; the hash of the
// whole value keeps a change beyond the cut visible.
size_t Utf8Cut(std::string_view text, size_t cut) {
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::string ShortValue(std::string_view value) {
  if (value.size() <= kTextconvMaxValueChars) return OneLine(value);
  size_t cut = Utf8Cut(value, kTextconvMaxValueChars - 40);
  std::string hash = ToHex(Sha256Of(std::as_bytes(std::span(value.data(), value.size()))));
  return fmt::format("{}... ({} bytes, sha256:{})", OneLine(value.substr(0, cut)), value.size(), hash.substr(0, kShortHash));
}

std::string StatsText(const TensorStats& s) {
  std::string out = fmt::format("mean {:.6g}  std {:.6g}", s.mean, s.std);
  if (s.nan) out += fmt::format("  nan {}", s.nan);
  if (s.inf) out += fmt::format("  inf {}", s.inf);
  return out;
}

std::string TensorLine(const TensorRef& t, const TensorExtras& extra) {
  std::string line = fmt::format("{}  {}  [{}]", OneLine(t.name), Name(t.dtype), fmt::join(t.shape, ", "));
  if (!extra.error.empty()) return line + "  error: " + OneLine(extra.error);
  if (extra.sha256) line += "  sha256:" + extra.sha256->substr(0, kShortHash);
  if (extra.stats) line += "  " + StatsText(*extra.stats);
  return line;
}

}  // namespace

std::string TextconvText(const Checkpoint& checkpoint) {
  InspectReport report = Inspect(checkpoint, {.hashes = true, .stats = true});
  const std::vector<TensorRef>& tensors = checkpoint.tensors();
  std::string out = fmt::format("git-model textconv v1: {}, {} tensors, {} parameters\n", FormatName(checkpoint.format()),
                                report.summary.tensors, report.summary.parameters);
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors[a].name < tensors[b].name; });
  for (size_t i : order) out += TensorLine(tensors[i], report.extras[i]) + "\n";
  std::map<std::string, std::string> content = FlattenContent(checkpoint);
  if (!content.empty()) out += "\n";
  // An empty string is `key =`: `key = ` would end in a blank (git flags trailing whitespace), and
  // `key = ""` would read as a string of two quotes, since top-level strings are not quoted.
  for (const auto& [key, value] : content) {
    out += value.empty() ? fmt::format("{} =\n", OneLine(key))
                         : fmt::format("{} = {}\n", OneLine(key), ShortValue(value));
  }
  return out;
}

std::string NotCheckpointText(std::string_view reason, std::span<const std::byte> bytes) {
  std::string why = OneLine(reason);
  if (why.size() > kTextconvMaxReasonChars) why = why.substr(0, Utf8Cut(why, kTextconvMaxReasonChars - 3)) + "...";
  Sha256 hash;
  constexpr size_t kChunk = 8u << 20;  // as FileSha256: keeps hashing and read-ahead in step
  for (size_t at = 0; at < bytes.size(); at += kChunk)
    hash.Update(bytes.subspan(at, std::min(kChunk, bytes.size() - at)));
  return fmt::format("git-model textconv v1: not a checkpoint ({}), {} bytes, sha256:{}\n", why, bytes.size(),
                     ToHex(hash.Finish()).substr(0, kShortHash));
}

}  // namespace gitmodel
