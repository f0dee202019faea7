// The legacy torch.save format (torch < 1.6, or _use_new_zipfile_serialization=False):
// five pickles in a row (magic number, protocol version, sys_info, the object, storage keys),
// then each storage as an int64 element count followed by its raw bytes.
#include <cstring>
#include <unordered_map>

#include "formats/checkpoint_impl.h"
#include "formats/pickle_reader.h"
#include "formats/torch_pickle.h"
#include "formats/torch_storage.h"

namespace gitmodel {
namespace {

// 0x1950a86a20f9469cfc6c, torch's MAGIC_NUMBER, in decimal as our big-int nodes hold it.
constexpr std::string_view kMagicDecimal = "119547037146038801333356";
constexpr int64_t kProtocolVersion = 1001;

// Hooks for the small header pickles: they hold no persistent ids.
class PlainHooks : public PickleHooks {
 public:
  Result<Node*> PersistentLoad(Node*) override { return Corrupt("unexpected persistent id in a header pickle"); }
};

struct Cursor {
  std::span<const std::byte> bytes;
  size_t pos = 0;
};

Result<Node*> ReadNext(Checkpoint::Impl& impl, Cursor& c, PickleHooks& hooks, std::string_view what) {
  if (c.pos >= c.bytes.size()) return Corrupt("file ends before the {} pickle (offset {})", what, c.pos);
  size_t used = 0;
  PickleReader reader(impl.arena, hooks);
  auto node = reader.Read(c.bytes.subspan(c.pos), &used);
  if (!node.ok()) return node.status().WithContext(fmt::format("{} pickle at offset {}", what, c.pos));
  c.pos += used;
  return node;
}

bool SysInfoLittleEndian(const Node* sys_info) {
  if (sys_info->kind != NodeKind::kDict) return true;
  for (auto [k, v] : sys_info->entries)
    if (k->kind == NodeKind::kString && k->text == "little_endian" && v->kind == NodeKind::kBool) return v->bool_value;
  return true;
}

// Walks the data section: for each key in order, an int64 count then count * element bytes.
Result<std::unordered_map<std::string, StorageBytes>> LocateStorages(
    const Node* keys, const TorchPickleHooks& hooks, Cursor& c) {
  std::unordered_map<std::string, StorageBytes> found;
  if (keys->kind != NodeKind::kList) return Corrupt("storage key list is not a list");
  for (const Node* k : keys->items) {
    if (k->kind != NodeKind::kString) return Corrupt("storage key list holds a non-string");
    auto it = hooks.storages().find(k->text);
    if (it == hooks.storages().end()) return Corrupt("storage '{}' is listed but never used, so its element size is unknown", k->text);
    uint64_t elem = StorageElementBytes(it->second);
    if (c.bytes.size() - c.pos < 8) return Corrupt("truncated storage {}: no size at offset {}", k->text, c.pos);
    int64_t count;
    std::memcpy(&count, c.bytes.data() + c.pos, 8);
    c.pos += 8;
    if (count < 0 || static_cast<uint64_t>(count) > (c.bytes.size() - c.pos) / elem)
      return Corrupt("truncated storage {}: needs {} elements of {} bytes at offset {}, file has {} bytes left",
                     k->text, count, elem, c.pos, c.bytes.size() - c.pos);
    uint64_t n = static_cast<uint64_t>(count) * elem;
    if (!found.try_emplace(k->text, StorageBytes{c.bytes.subspan(c.pos, n), c.pos, false}).second)
      return Corrupt("storage '{}' is listed twice", k->text);
    c.pos += n;
  }
  return found;
}

}  // namespace

Status ReadTorchLegacy(Checkpoint::Impl& impl, int file_index) {
  impl.format = Format::kTorchLegacy;
  Cursor c{impl.mappings[static_cast<size_t>(file_index)]->bytes()};
  PlainHooks plain;
  auto magic_read = ReadNext(impl, c, plain, "magic number");
  if (!magic_read.ok()) return Corrupt("not a legacy torch file: {}", magic_read.status().message());
  Node* magic = *magic_read;
  if (magic->kind != NodeKind::kBigInt || magic->text != kMagicDecimal)
    return Corrupt("not a legacy torch file: first pickle is not torch's magic number");
  GM_ASSIGN_OR_RETURN(Node * proto, ReadNext(impl, c, plain, "protocol version"));
  if (proto->kind != NodeKind::kInt || proto->int_value != kProtocolVersion)
    return Unsupported("legacy torch file with protocol version other than {}", kProtocolVersion);
  GM_ASSIGN_OR_RETURN(Node * sys_info, ReadNext(impl, c, plain, "sys_info"));
  bool little = SysInfoLittleEndian(sys_info);
  impl.AddDetail("protocol_version", std::to_string(kProtocolVersion));
  impl.AddDetail("byteorder", little ? "little" : "big");
  TorchPickleHooks hooks(impl, "");
  GM_ASSIGN_OR_RETURN(impl.root, ReadNext(impl, c, hooks, "object"));
  GM_ASSIGN_OR_RETURN(Node * keys, ReadNext(impl, c, plain, "storage keys"));
  GM_ASSIGN_OR_RETURN(auto located, LocateStorages(keys, hooks, c));
  impl.AddDetail("storages", std::to_string(located.size()));
  if (c.pos != c.bytes.size()) impl.notes.push_back(fmt::format("{} trailing bytes after the last storage", c.bytes.size() - c.pos));
  GM_RETURN_IF_ERROR(NameTensorsByKeyPath(impl));
  auto locate = [&](const StorageRef& ref) -> Result<StorageBytes> {
    auto it = located.find(ref.key);
    if (it == located.end()) return NotFound("storage '{}' is used but has no data", ref.key);
    return it->second;
  };
  return AttachStorages(impl, 0, impl.tensors.size(), hooks, "", locate, !little, file_index);
}

}  // namespace gitmodel
