// make_seeds OUT_DIR: writes small builder-made seed files for the fuzz targets (fuzz/smoke.sh):
// torch zips in the variants real writers produce (stored, deflated, ZIP64 extra fields, no
// alignment padding, big-endian byteorder, a comment), their pickles alone, safetensors files
// covering every dtype, a params history cache, store manifests, pointers and object files. Seeds are generated on each run, never committed.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "formats/testing/safetensors_builder.h"
#include "formats/testing/zip_builder.h"
#include "hyperparams/param_cache_format.h"
#include "store/manifest.h"
#include "store/object_store.h"
#include "store/pointer.h"

namespace {

using gitmodel::testutil::ToBytes;
using Bytes = std::vector<std::byte>;

// A protocol-2 pickle of OrderedDict{'w': _rebuild_tensor_v2(('storage', torch.FloatStorage, '0',
// 'cpu', 6), 0, (2, 3), (3, 1), False, OrderedDict())}, as torch.save writes it.
std::string TensorPickle() {
  using namespace std::string_literals;  // "..."s keeps the embedded NUL bytes
  auto str = [](const std::string& s) { return "X"s + char(s.size()) + std::string(3, '\0') + s; };
  std::string p = "\x80\x02"s + "ccollections\nOrderedDict\nq\x00)Rq\x01("s + str("w");
  p += "ctorch._utils\n_rebuild_tensor_v2\nq\x02(("s + str("storage") + "ctorch\nFloatStorage\nq\x03"s;
  p += str("0") + str("cpu") + "K\x06tq\x04QK\x00K\x02K\x03\x86K\x03K\x01\x86\x89"s;
  p += "ccollections\nOrderedDict\n)Rtq\x05R"s;
  return p + "u.";
}

void Write(const std::string& dir, const std::string& name, const Bytes& bytes) {
  std::ofstream f(dir + "/" + name, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes TorchZip(const gitmodel::testutil::ZipAddOptions& options, std::string byteorder = "",
               const gitmodel::testutil::ZipFinishOptions& finish = {}) {
  gitmodel::testutil::ZipBuilder zip;
  zip.Add("archive/data.pkl", TensorPickle(), options);
  if (!byteorder.empty()) zip.Add("archive/byteorder", byteorder, options);
  zip.Add("archive/data/0", std::string(24, '\x3f'), options);
  zip.Add("archive/version", "3\n", options);
  return zip.Finish(finish);
}

void Safetensors(const std::string& dir) {
  static const char* kDTypes[] = {"BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
                                  "C64", "F64", "I64", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4"};
  gitmodel::testutil::SafetensorsBuilder all;
  all.Metadata("format", "pt");
  for (const char* dtype : kDTypes) all.Add(std::string("t_") + dtype, dtype, {2, 2});
  all.Add("scalar", "F32", {});
  all.Add("empty", "F32", {0, 3});
  Write(dir, "all_dtypes.safetensors", all.Finish());
  gitmodel::testutil::SafetensorsBuilder one;
  Write(dir, "one.safetensors", one.Add("w", "F32", {2, 3}).Finish());
}

// A params history cache with every value kind (hyperparams/param_cache_format.cc).
Bytes ParamCacheSeed() {
  using nlohmann::json;
  gitmodel::ParamCommit commit;
  commit.commit = {.id = std::string(40, 'a'), .tree = std::string(40, 'b'), .parents = {std::string(40, 'c')},
                   .author = "Ada", .email = "ada@example.com", .time = 1700000000, .offset_minutes = 60,
                   .subject = "lower lr"};
  gitmodel::FileParamChanges file{"config.yaml", "old.yaml", "config.yaml:3:1: bad", {}};
  file.changes.push_back({"lr", json(0.01), json(0.001)});
  file.changes.push_back({"layers", json::array({64, "x", json::array({true, nullptr})}), std::nullopt});
  file.changes.push_back({"steps", std::nullopt, json(uint64_t{1} << 63)});
  file.changes.push_back({"n", json(int64_t{-7}), json("-7")});
  commit.files.push_back(file);
  const gitmodel::ParamCache cache{json{{"version", gitmodel::kParamCacheVersion}}, commit.commit.id, {commit}};
  return ToBytes(gitmodel::EncodeParamCache(cache));
}

// Store formats (docs/formats.md, "Manifest", "Pointer"): a manifest with every element size, an
// empty file's manifest, and pointers for a non-empty and an empty file.
void StoreSeeds(const std::string& dir) {
  auto filled = [](uint8_t value) {
    gitmodel::Digest d;
    d.fill(value);
    return d;
  };
  gitmodel::Manifest manifest{418, filled(0xAB), {}};
  manifest.chunks = {{filled(1), 10, 0, ""}, {filled(2), 400, 4, "layer1.weight"}, {filled(3), 3, 2, "emb#1"},
                     {filled(4), 5, 8, "x"}};
  Write(dir, "chunks.manifest", ToBytes(gitmodel::EncodeManifest(manifest)));
  Write(dir, "empty.manifest", ToBytes(gitmodel::EncodeManifest({0, filled(0xE3), {}})));
  Write(dir, "file.pointer", ToBytes(gitmodel::FormatPointer({filled(0x5A), 123456789, filled(0xC3)})));
  Write(dir, "empty.pointer", ToBytes(gitmodel::FormatPointer({filled(0xE3), 0, filled(0x01)})));
}

// Store object files (docs/formats.md, "Store objects"): every codec and element size, deltas,
// an empty object and the legacy GMO1 format, written by ObjectStore::Put into a scratch store.
Bytes Weights(size_t count, size_t width, float drift, uint64_t seed) {  // N(0, 0.02) as bf16/f32/f64
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0.0f, 0.02f);
  Bytes out(count * width);
  for (size_t i = 0; i < count; ++i) {
    float f = normal(rng);
    f += drift * std::fabs(f) * normal(rng) * 50.0f;
    const double d = f;
    const char* bytes = width == 8 ? reinterpret_cast<const char*>(&d) : reinterpret_cast<const char*>(&f);
    std::memcpy(out.data() + i * width, bytes + (width == 2 ? 2 : 0), width);  // bf16: the high half
  }
  return out;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void ObjectSeeds(const std::string& dir) {
  const std::string root = dir + "/object-store";
  gitmodel::ObjectStore store(root);
  auto put = [&](const std::string& name, const Bytes& raw, uint8_t width,
                 std::optional<gitmodel::ObjectId> base = std::nullopt) {
    gitmodel::PutOptions options;
    options.encode.element_bytes = width;
    options.delta_base = base;
    auto stored = store.Put(raw, options);
    if (!stored.ok()) return gitmodel::ObjectId{};
    Write(dir, name + ".gmob", ToBytes(ReadWhole(store.ObjectPath(stored->id))));
    return stored->id;
  };
  const gitmodel::ObjectId zstd = put("zstd", ToBytes(std::string(3000, 'x')), 0);
  put("raw", Weights(64, 4, 0, 1), 0);  // 256 bytes of mantissas do not compress
  put("empty", {}, 0);
  const gitmodel::ObjectId base = put("bf16", Weights(4096, 2, 0, 2), 2);
  put("bf16_delta", Weights(4096, 2, 1e-4f, 2), 2, base);  // a difference delta (format version 2)
  put("xor_delta", ToBytes(std::string(2990, 'x') + "0123456789"), 0, zstd);  // a XOR delta (version 1)
  put("f32", Weights(2048, 4, 0, 3), 4);
  put("f64", Weights(1024, 8, 0, 4), 8);
  // Before format version 1: "GMO1", codec 1, three zero bytes, u64 LE raw size, one zstd frame.
  const std::string current = ReadWhole(store.ObjectPath(zstd));
  Write(dir, "legacy.gmob", ToBytes(std::string("GMO1\x01\0\0\0", 8) + current.substr(8, 8) + current.substr(16)));
  std::filesystem::remove_all(root);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_seeds OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  Write(dir, "tensor.pkl", ToBytes(TensorPickle()));
  Write(dir, "stored.pt", TorchZip({}));
  Write(dir, "deflated.pt", TorchZip({.deflate = true}));
  Write(dir, "zip64_extra.pt", TorchZip({.zip64_extra = true}));
  Write(dir, "unaligned.pt", TorchZip({.alignment = 0}, "little", {.zip64 = false, .comment = "seed"}));
  Write(dir, "big_endian.pt", TorchZip({}, "big"));
  Safetensors(dir);
  Write(dir, "params.cache", ParamCacheSeed());
  StoreSeeds(dir);
  ObjectSeeds(dir);
  return 0;
}
