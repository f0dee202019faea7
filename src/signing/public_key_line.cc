#include "signing/public_key_line.h"

#include <algorithm>

#include "signing/base64.h"

namespace gitmodel {
namespace {

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string FormatPublicKeyLine(const PublicKeyEntry& entry) {
  std::string line = fmt::format("{} {}", kEd25519KeyType, Base64Encode(entry.key));
  if (!entry.comment.empty()) line += " " + entry.comment;
  return line;
}

Result<PublicKeyEntry> ParsePublicKeyLine(std::string_view line, std::string_view what) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxPublicKeyLine) return LimitExceeded("{}: line of {} bytes is too long", what, line.size());
  if (HasControlCharacter(line)) return Corrupt("{}: control character in a public key line", what);
  line = TrimBlanks(line);
  size_t space = line.find(' ');
  std::string_view type = line.substr(0, space);
  if (type != kEd25519KeyType) {
    return Corrupt("{}: expected \"{} <base64 key> [comment]\", found key type \"{}\"", what, kEd25519KeyType,
                   type.substr(0, 32));
  }
  std::string_view rest = space == std::string_view::npos ? "" : TrimBlanks(line.substr(space + 1));
  size_t end = rest.find(' ');
  GM_ASSIGN_OR_RETURN(std::vector<uint8_t> raw, Base64Decode(rest.substr(0, end), what));
  PublicKeyEntry entry;
  if (raw.size() != entry.key.size()) return Corrupt("{}: an Ed25519 public key is 32 bytes, not {}", what, raw.size());
  std::copy(raw.begin(), raw.end(), entry.key.begin());
  if (end != std::string_view::npos) entry.comment = std::string(TrimBlanks(rest.substr(end + 1)));
  return entry;
}

Result<std::vector<PublicKeyEntry>> ParseTrustedKeys(std::string_view text, std::string_view what) {
  if (text.size() > kMaxTrustedKeysBytes) {
    return LimitExceeded("{}: {} bytes is over the {} byte limit", what, text.size(), kMaxTrustedKeysBytes);
  }
  std::vector<PublicKeyEntry> keys;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    std::string_view content = TrimBlanks(line);
    if (content.empty() || content == "\r" || content.front() == '#') continue;
    GM_ASSIGN_OR_RETURN(PublicKeyEntry entry, ParsePublicKeyLine(line, fmt::format("{}:{}", what, line_number)));
    keys.push_back(std::move(entry));
  }
  return keys;
}

const PublicKeyEntry* FindTrustedKey(const std::vector<PublicKeyEntry>& keys, const Ed25519PublicKey& key) {
  auto it = std::find_if(keys.begin(), keys.end(), [&](const PublicKeyEntry& e) { return e.key == key; });
  return it == keys.end() ? nullptr : &*it;
}

}  // namespace gitmodel
