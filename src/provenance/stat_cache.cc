#include "provenance/stat_cache.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

#include "base/atomic_file.h"

namespace gitmodel {
namespace {

int64_t Nanoseconds(const struct timespec& t) {
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// Splits off the text before the next space; false when there is none.
bool NextField(std::string_view* line, std::string_view* field) {
  size_t space = line->find(' ');
  if (space == std::string_view::npos) return false;
  *field = line->substr(0, space);
  line->remove_prefix(space + 1);
  return true;
}

template <typename T>
bool ParseNumber(std::string_view* line, T* out) {
  std::string_view field;
  if (!NextField(line, &field) || field.empty()) return false;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), *out);
  return ec == std::errc() && end == field.data() + field.size();
}

bool ParseDigest(std::string_view hex, Digest* out) {
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 32; ++i) {
    auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, (*out)[i], 16);
    if (ec != std::errc() || end != hex.data() + 2 * i + 2) return false;
  }
  return ToHex(*out) == hex;  // lowercase only: one spelling per digest
}

// "<sha256 hex> <size> <mtime_ns> <ctime_ns> <inode> <device> <absolute path>"
bool ParseLine(std::string_view line, std::string* path, FileStat* st, Digest* digest) {
  std::string_view hex;
  if (!NextField(&line, &hex) || !ParseDigest(hex, digest)) return false;
  if (!ParseNumber(&line, &st->size) || !ParseNumber(&line, &st->mtime_ns) ||
      !ParseNumber(&line, &st->ctime_ns) || !ParseNumber(&line, &st->inode) ||
      !ParseNumber(&line, &st->device))
    return false;
  if (line.empty() || line.front() != '/') return false;
  *path = std::string(line);
  return true;
}

std::string FormatLine(const std::string& path, const FileStat& st, const Digest& digest) {
  return fmt::format("{} {} {} {} {} {} {}\n", ToHex(digest), st.size, st.mtime_ns, st.ctime_ns, st.inode,
                     st.device, path);
}

}  // namespace

FileStat FileStatOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_size), Nanoseconds(st.st_mtim), Nanoseconds(st.st_ctim),
          static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_dev)};
}

StatCache StatCache::Load(const std::string& path, std::string* note) {
  StatCache cache;
  auto text = ReadSmallFile(path, kMaxFileBytes);
  if (!text.ok()) {
    if (note != nullptr && text.status().code() != Code::kIO) *note = text.status().message();
    return cache;  // missing or unreadable: start empty
  }
  std::string_view rest = *text;
  auto take_line = [&rest](std::string_view* line) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return false;  // every line ends with '\n'; else truncated
    *line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    return true;
  };
  std::string_view line;
  auto ignore = [&](std::string_view why) {
    if (note != nullptr) *note = fmt::format("{}: {}; ignored, it will be rebuilt", path, why);
    return StatCache();
  };
  if (!take_line(&line) || line != kVersionLine) return ignore("not a stat cache of this version");
  while (take_line(&line)) {
    std::string file;
    Entry e;
    if (!ParseLine(line, &file, &e.stat, &e.digest)) return ignore("corrupt line");
    if (cache.entries_.size() >= kMaxEntries) return ignore("too many entries");
    cache.entries_[std::move(file)] = e;
  }
  if (!rest.empty()) return ignore("truncated");
  return cache;
}

std::optional<Digest> StatCache::Lookup(const std::string& path, const FileStat& st) {
  auto it = entries_.find(path);
  if (it == entries_.end() || !(it->second.stat == st)) return std::nullopt;
  it->second.used = true;
  return it->second.digest;
}

bool StatCache::Insert(const std::string& path, const FileStat& st, const Digest& digest, int64_t started_ns) {
  if (path.empty() || path.front() != '/' || path.find('\n') != std::string::npos) return false;
  if (std::max(st.mtime_ns, st.ctime_ns) >= started_ns - kRacyWindowNs) {
    if (entries_.erase(path) > 0) modified_ = true;  // it described an older version of the file
    return false;
  }
  entries_[path] = Entry{st, digest, true};
  modified_ = true;
  return true;
}

void StatCache::ForgetUnusedUnder(const std::string& dir) {
  std::string prefix = dir.ends_with('/') ? dir : dir + "/";
  size_t erased = std::erase_if(entries_, [&](const auto& item) {
    return !item.second.used && (item.first == dir || item.first.starts_with(prefix));
  });
  if (erased > 0) modified_ = true;
}

Status StatCache::Save(const std::string& path) const {
  std::vector<const std::pair<const std::string, Entry>*> order;
  order.reserve(entries_.size());
  for (const auto& item : entries_) order.push_back(&item);
  // Used entries first (they survive the cap), then by path, so equal caches are equal files.
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) {
    return a->second.used != b->second.used ? a->second.used : a->first < b->first;
  });
  if (order.size() > kMaxEntries) order.resize(kMaxEntries);
  std::string text = std::string(kVersionLine) + "\n";
  for (auto* item : order) text += FormatLine(item->first, item->second.stat, item->second.digest);
  return WriteFileAtomically(path, text);
}

}  // namespace gitmodel
