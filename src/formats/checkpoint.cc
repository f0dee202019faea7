// Checkpoint::Open: detects the format from the first bytes and hands over to its reader.
#include "gitmodel/checkpoint.h"

#include "base/byte_reader.h"
#include "formats/checkpoint_impl.h"

namespace gitmodel {
namespace {

enum class Sniffed { kZip, kSafetensors, kPickle, kJson, kTar, kUnknown };

Sniffed Sniff(std::span<const std::byte> b, std::string_view path) {
  ByteView v(b);
  if (b.size() >= 4 && AsText(b.first(4)) == "PK\x03\x04") return Sniffed::kZip;
  if (b.size() >= 4 && AsText(b.first(4)) == "PK\x05\x06") return Sniffed::kZip;  // empty zip
  if (b.size() > 262 && AsText(b.subspan(257, 5)) == "ustar") return Sniffed::kTar;
  if (path.ends_with(".json")) return Sniffed::kJson;
  if (auto n = v.Read<uint64_t>(0); n && b.size() >= 9 && b[8] == std::byte{'{'}) return Sniffed::kSafetensors;
  if (!b.empty()) {
    auto first = static_cast<uint8_t>(b[0]);
    // PROTO (protocols 2+), or the protocol 0/1 opcodes a pickle can start with.
    if (first == 0x80 || std::string_view("(]}).NLIJKFSVcdlX").find(static_cast<char>(first)) != std::string_view::npos)
      return Sniffed::kPickle;
  }
  return Sniffed::kUnknown;
}

// A pickle file: the legacy torch format when its first pickle is torch's magic number.
Status ReadPickleFile(Checkpoint::Impl& impl, int file_index) {
  Status legacy = ReadTorchLegacy(impl, file_index);
  if (legacy.ok() || legacy.message().find("not a legacy torch file") == std::string::npos) return legacy;
  impl = Checkpoint::Impl{.path = impl.path, .files = std::move(impl.files), .mappings = std::move(impl.mappings)};
  GM_RETURN_IF_ERROR(ReadPlainPickle(impl, file_index));
  // A lone integer followed by more pickles is a legacy file whose magic number is wrong: torch
  // refuses it ("Invalid magic number"), and so do we.
  bool lone_int = impl.root->kind == NodeKind::kInt || impl.root->kind == NodeKind::kBigInt;
  bool more_follows = !impl.details.empty() && impl.details.back().key == "trailing_bytes";
  if (lone_int && more_follows) return Corrupt("legacy torch file with a wrong magic number");
  return OkStatus();
}

Status ReadAny(Checkpoint::Impl& impl) {
  auto bytes = impl.mappings[0]->bytes();
  switch (Sniff(bytes, impl.path)) {
    case Sniffed::kZip: return ReadTorchZip(impl, 0);
    case Sniffed::kSafetensors: return ReadSafetensors(impl, 0);
    case Sniffed::kJson: return ReadShardedIndex(impl, 0);
    case Sniffed::kPickle: return ReadPickleFile(impl, 0);
    case Sniffed::kTar:
      return Unsupported("tar archive: the torch < 0.1.10 tar checkpoint format is not supported");
    case Sniffed::kUnknown: break;
  }
  if (bytes.empty()) return InvalidArgument("empty file");
  return InvalidArgument("not a checkpoint: unrecognised format (not a zip, pickle, safetensors or index file)");
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kTorchZip: return "torch-zip";
    case Format::kTorchLegacy: return "torch-legacy";
    case Format::kTorchScript: return "torchscript";
    case Format::kTorchScriptLegacy: return "torchscript-legacy";
    case Format::kPt2: return "pt2";
    case Format::kSafetensors: return "safetensors";
    case Format::kShardedIndex: return "sharded-index";
    case Format::kPickle: return "pickle";
  }
  return "unknown";
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  GM_ASSIGN_OR_RETURN(auto mapping, MappedFile::Open(path));
  impl->files.push_back(path);
  impl->mappings.push_back(std::move(mapping));
  Status s = ReadAny(*impl);
  if (!s.ok()) {
    // Messages from the readers never start with the path; IO errors from MappedFile do.
    if (s.message().starts_with(path + ":")) return s;
    return s.WithContext(path);
  }
  if (!impl->root) impl->root = impl->arena.New(NodeKind::kNone);
  return std::make_unique<Checkpoint>(std::move(impl));
}

Checkpoint::Checkpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Checkpoint::~Checkpoint() = default;

const std::string& Checkpoint::path() const { return impl_->path; }
Format Checkpoint::format() const { return impl_->format; }
const std::vector<FormatDetail>& Checkpoint::details() const { return impl_->details; }
const std::vector<std::string>& Checkpoint::notes() const { return impl_->notes; }
const std::vector<TensorRef>& Checkpoint::tensors() const { return impl_->tensors; }
const Node* Checkpoint::root() const { return impl_->root; }
const std::vector<std::string>& Checkpoint::files() const { return impl_->files; }

void Checkpoint::ReleasePages(std::span<const std::byte> bytes) const {
  for (const auto& mapping : impl_->mappings) mapping->ReleasePages(bytes);
}

}  // namespace gitmodel
