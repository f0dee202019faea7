// FormatPointer / ParsePointer / LooksLikePointer (pointer.h).
#include "store/pointer.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/core.h>

namespace gitmodel {
namespace {

constexpr std::string_view kOidPrefix = "oid sha256:";
constexpr std::string_view kSizePrefix = "size ";
constexpr std::string_view kManifestPrefix = "manifest sha256:";

// The next line of `text` without its "\n" (removed from `text`); nullopt when no "\n" is left.
std::optional<std::string_view> TakeLine(std::string_view& text) {
  const size_t end = text.find('\n');
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return line;
}

Result<Digest> ParseDigestLine(std::string_view line, std::string_view prefix) {
  std::optional<ObjectId> id;
  if (line.starts_with(prefix)) id = ParseObjectHex(line.substr(prefix.size()));
  if (!id) return Corrupt("pointer line is not '{}<64 lowercase hex digits>'", prefix);
  return *id;
}

// Decimal, no sign, no leading zero (but "0"), at most INT64_MAX.
std::optional<uint64_t> ParseCanonicalSize(std::string_view digits) {
  if (digits.empty() || (digits[0] == '0' && digits.size() > 1)) return std::nullopt;
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

Result<uint64_t> ParseSizeLine(std::string_view line) {
  std::optional<uint64_t> size;
  if (line.starts_with(kSizePrefix)) size = ParseCanonicalSize(line.substr(kSizePrefix.size()));
  if (!size) return Corrupt("pointer line is not 'size <decimal bytes>' (no sign or leading zeros, at most 2^63-1)");
  return *size;
}

// The four lines, or an error naming the first one missing.
Result<std::array<std::string_view, 4>> SplitLines(std::string_view text) {
  std::array<std::string_view, 4> lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::optional<std::string_view> line = TakeLine(text);
    if (!line) return Corrupt("pointer has {} complete lines, expected 4 each ending in a newline", i);
    lines[i] = *line;
  }
  if (!text.empty()) return Corrupt("pointer has {} bytes after its 4 lines", text.size());
  return lines;
}

}  // namespace

std::string FormatPointer(const Pointer& pointer) {
  return fmt::format("{}\n{}{}\n{}{}\n{}{}\n", kPointerVersionLine, kOidPrefix, ToHex(pointer.file_sha256), kSizePrefix,
                     pointer.size, kManifestPrefix, ObjectHex(pointer.manifest));
}

Result<Pointer> ParsePointer(std::string_view text) {
  if (text.size() > kMaxPointerBytes) return Corrupt("pointer is {} bytes, more than {}", text.size(), kMaxPointerBytes);
  GM_ASSIGN_OR_RETURN(auto lines, SplitLines(text));
  if (lines[0] != kPointerVersionLine)
    return Corrupt("pointer does not start with '{}' (an unknown pointer version?)", kPointerVersionLine);
  Pointer pointer;
  GM_ASSIGN_OR_RETURN(pointer.file_sha256, ParseDigestLine(lines[1], kOidPrefix));
  GM_ASSIGN_OR_RETURN(pointer.size, ParseSizeLine(lines[2]));
  GM_ASSIGN_OR_RETURN(pointer.manifest, ParseDigestLine(lines[3], kManifestPrefix));
  return pointer;
}

bool LooksLikePointer(std::string_view head) {
  return head.size() > kPointerVersionLine.size() && head.starts_with(kPointerVersionLine) &&
         head[kPointerVersionLine.size()] == '\n';
}

}  // namespace gitmodel
