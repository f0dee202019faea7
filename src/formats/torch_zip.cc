// torch.save zip archives (1.6+), TorchScript archives and .pt2 archives nesting torch.save zips.
#include <memory>

#include "formats/checkpoint_impl.h"
#include "formats/torch_archive.h"
#include "formats/torch_pickle.h"
#include "formats/torch_storage.h"
#include "formats/torchscript_legacy.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxPickleBytes = 1ull << 30;    // an inflated data.pkl / constants.pkl
constexpr uint64_t kMaxInflatedStorage = 8ull << 30;
constexpr int kMaxNesting = 2;                       // zip in zip in zip is refused

bool StartsWithZipMagic(std::span<const std::byte> b) {
  return b.size() >= 4 && b[0] == std::byte{'P'} && b[1] == std::byte{'K'} && b[2] == std::byte{3} &&
         b[3] == std::byte{4};
}

// One archive being read: its zip view, where its bytes sit in the mapped file, and the pickles
// read from it, whose storages are attached once all tensors have names.
struct ArchiveReader {
  Checkpoint::Impl& impl;
  TorchArchive archive;
  uint64_t file_offset;         // where the archive's first byte sits in the mapped file
  int file_index;
  std::string storage_prefix;   // prepended to record names in storage keys ("inner.pt/")
  bool big_endian = false;

  struct Pending {
    std::unique_ptr<TorchPickleHooks> hooks;
    std::string key_prefix;
    size_t first_tensor;
    size_t end_tensor;
  };
  std::vector<Pending> pending;

  Result<std::span<const std::byte>> Record(const ZipEntry& e, uint64_t max) {
    std::vector<std::byte> owned;
    GM_ASSIGN_OR_RETURN(auto bytes, archive.Read(e, &owned, max));
    if (!owned.empty()) return impl.Own(std::move(owned));
    return bytes;
  }

  // Reads "<name>.pkl" whose storages live under "<name>/".
  Result<Node*> ReadPickle(std::string_view name) {
    const ZipEntry* e = archive.Find(std::string(name) + ".pkl");
    if (!e) return NotFound("no {}.pkl record", name);
    GM_ASSIGN_OR_RETURN(auto bytes, Record(*e, kMaxPickleBytes));
    std::string key_prefix = storage_prefix + std::string(name) + "/";
    auto hooks = std::make_unique<TorchPickleHooks>(impl, key_prefix);
    size_t first = impl.tensors.size();
    PickleReader reader(impl.arena, *hooks);
    auto root = reader.Read(bytes);
    if (!root.ok()) return root.status().WithContext(fmt::format("{}{}.pkl", storage_prefix, name));
    pending.push_back({std::move(hooks), key_prefix, first, impl.tensors.size()});
    return *root;
  }

  Status AttachAll() {
    for (auto& p : pending) {
      std::string dir = p.key_prefix.substr(storage_prefix.size());
      auto locate = [&](const StorageRef& ref) -> Result<StorageBytes> {
        const ZipEntry* e = archive.Find(dir + ref.key);
        if (!e) return NotFound("missing storage record {}{}", p.key_prefix, ref.key);
        StorageBytes sb;
        GM_ASSIGN_OR_RETURN(sb.bytes, Record(*e, kMaxInflatedStorage));
        sb.deflated = e->method != kZipMethodStored;
        sb.file_offset = sb.deflated ? 0 : file_offset + static_cast<uint64_t>(sb.bytes.data() - archive.zip().file().data());
        return sb;
      };
      GM_RETURN_IF_ERROR(AttachStorages(impl, p.first_tensor, p.end_tensor, *p.hooks, p.key_prefix, locate, big_endian, file_index));
    }
    return OkStatus();
  }

  std::string RecordText(std::string_view name, size_t max = 256) {
    const ZipEntry* e = archive.Find(name);
    if (!e) return "";
    auto bytes = Record(*e, 4096);
    if (!bytes.ok()) return "";
    std::string s(reinterpret_cast<const char*>(bytes->data()), std::min(bytes->size(), max));
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
  }

  Status ReadFormatRecords(std::string_view detail_prefix) {
    auto add = [&](std::string key, std::string value) {
      if (!value.empty()) impl.AddDetail(std::string(detail_prefix) + key, std::move(value));
    };
    add("prefix", archive.prefix());
    std::string version = RecordText(".data/version");
    add("version", version.empty() ? RecordText("version") : version);
    std::string byteorder = RecordText("byteorder");
    if (!byteorder.empty() && byteorder != "little" && byteorder != "big")
      return Corrupt("byteorder record says '{}', expected 'little' or 'big'", byteorder.substr(0, 40));
    big_endian = byteorder == "big";
    add("byteorder", byteorder);
    add("format_version", RecordText(".format_version"));
    add("storage_alignment", RecordText(".storage_alignment"));
    add("serialization_id", RecordText(".data/serialization_id"));
    add("records", std::to_string(archive.zip().entries().size()));
    return OkStatus();
  }
};

// `headers` reads the archive's bytes without touching the mapping (for archives that are whole
// files; nested ones are small enough to read from memory).
Result<ArchiveReader> OpenArchive(Checkpoint::Impl& impl, std::span<const std::byte> bytes,
                                  uint64_t file_offset, int file_index, std::string storage_prefix,
                                  const PositionalReader* headers = nullptr) {
  GM_ASSIGN_OR_RETURN(TorchArchive archive, TorchArchive::Open(bytes, headers));
  return ArchiveReader{impl, std::move(archive), file_offset, file_index, std::move(storage_prefix), false, {}};
}

void DescribeTorchScript(ArchiveReader& ar) {
  size_t code = 0, extra = 0;
  for (const std::string& name : ar.archive.RecordNames()) {
    if (name.starts_with("code/") && name.ends_with(".py")) ++code;
    if (name.starts_with("extra/")) ++extra;
  }
  ar.impl.AddDetail("code_files", std::to_string(code));
  if (extra) ar.impl.AddDetail("extra_files", std::to_string(extra));
  ar.impl.notes.push_back("TorchScript archive: it contains code that runs when torch.jit.load loads it");
}

Status ReadPlainOrScript(ArchiveReader& ar) {
  Checkpoint::Impl& impl = ar.impl;
  bool script = ar.archive.Find("constants.pkl") != nullptr;
  impl.format = script ? Format::kTorchScript : Format::kTorchZip;
  GM_RETURN_IF_ERROR(ar.ReadFormatRecords(""));
  GM_ASSIGN_OR_RETURN(impl.root, ar.ReadPickle("data"));
  if (script) {
    DescribeTorchScript(ar);
    GM_ASSIGN_OR_RETURN(Node * constants, ar.ReadPickle("constants"));
    impl.extra_roots.emplace_back("constants", constants);
  }
  GM_RETURN_IF_ERROR(NameTensorsByKeyPath(impl));
  return ar.AttachAll();
}

// .pt2 and similar: an outer archive whose members are themselves torch.save zips.
Status ReadNested(ArchiveReader& outer, int depth) {
  Checkpoint::Impl& impl = outer.impl;
  impl.format = Format::kPt2;
  GM_RETURN_IF_ERROR(outer.ReadFormatRecords(""));
  impl.root = impl.arena.New(NodeKind::kDict);
  std::vector<ArchiveReader> inner;
  for (const ZipEntry& e : outer.archive.zip().entries()) {
    // Stored members are looked at in place; a compressed one is inflated only when its name
    // says it is a torch.save archive.
    if (e.method != kZipMethodStored && !e.name.ends_with(".pt") && !e.name.ends_with(".pth")) continue;
    GM_ASSIGN_OR_RETURN(auto bytes, outer.Record(e, kMaxInflatedStorage));
    if (!StartsWithZipMagic(bytes)) continue;
    if (depth >= kMaxNesting) return Unsupported("zip archives nested more than {} deep", kMaxNesting);
    std::string member = e.name.substr(outer.archive.prefix().size() + 1);
    uint64_t offset = e.method == kZipMethodStored ? outer.file_offset + (bytes.data() - outer.archive.zip().file().data()) : 0;
    auto ar = OpenArchive(impl, bytes, offset, outer.file_index, member + ":");
    if (!ar.ok()) return ar.status().WithContext(member);
    auto root = ar->ReadPickle("data");
    if (!root.ok()) return root.status().WithContext(member);
    Node* key = impl.arena.New(NodeKind::kString);
    key->text = member.substr(0, member.rfind('.'));
    impl.root->entries.emplace_back(key, *root);
    impl.AddDetail("nested", member);
    inner.push_back(std::move(*ar));
  }
  if (inner.empty()) return Unsupported("zip archive has no data.pkl and no nested torch archive: not a PyTorch checkpoint");
  GM_RETURN_IF_ERROR(NameTensorsByKeyPath(impl));
  for (ArchiveReader& ar : inner) GM_RETURN_IF_ERROR(ar.AttachAll());
  return OkStatus();
}

}  // namespace

Status ReadTorchZip(Checkpoint::Impl& impl, int file_index) {
  const MappedFile& file = *impl.mappings[static_cast<size_t>(file_index)];
  GM_ASSIGN_OR_RETURN(ArchiveReader ar, OpenArchive(impl, file.bytes(), 0, file_index, "", &file));
  if (ar.archive.Find("data.pkl")) return ReadPlainOrScript(ar);
  if (ar.archive.Find("model.json")) {
    impl.format = Format::kTorchScriptLegacy;
    GM_RETURN_IF_ERROR(ar.ReadFormatRecords(""));
    return ReadLegacyTorchScript(impl, ar.archive, file_index);
  }
  return ReadNested(ar, 1);
}

}  // namespace gitmodel
