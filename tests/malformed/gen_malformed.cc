// gen_malformed: writes deliberately broken checkpoints, deterministic from a seed, in the style
// of gguf's corrupted-file tests (docs/fuzzing.md, "The malformed-input test").
//
//   gen_malformed --seed N --corpus DIR --out DIR
//
// DIR/EXPECTED.tsv lists every malformed file with a substring its one-line error must contain
// (alternatives separated by '|'). DIR/controls/ holds the valid files the attacks start from;
// they must open, which proves each malformed file fails for the reason it was built for.
// Real torch-written files from --corpus are truncated at every structure boundary; everything
// else is built from scratch with ZipBuilder, SafetensorsBuilder and the pickle writer below.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "corpus_maps.h"
#include "formats/testing/safetensors_builder.h"
#include "formats/testing/zip_builder.h"
#include "pickle_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace gitmodel::malformed;  // Bytes, Pickle, TensorSpec, ZipMap, Get, Die...
using gitmodel::testutil::PutLE16;
using gitmodel::testutil::PutLE32;
using gitmodel::testutil::PutLE64;
using gitmodel::testutil::SafetensorsAddOptions;
using gitmodel::testutil::SafetensorsBuilder;
using gitmodel::testutil::SafetensorsFinishOptions;
using gitmodel::testutil::ToBytes;
using gitmodel::testutil::ZipAddOptions;
using gitmodel::testutil::ZipBuilder;
using gitmodel::testutil::ZipFinishOptions;
using gitmodel::testutil::ZipLayout;

Bytes Slice(const Bytes& b, uint64_t begin, uint64_t end) { return Bytes(b.begin() + begin, b.begin() + end); }
Bytes Concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ---------------------------------------------------------------------------------------------
// Output: the malformed files, their expected messages, and the valid controls.

class Cases {
 public:
  explicit Cases(fs::path out) : out_(std::move(out)) { fs::create_directories(out_ / "controls"); }

  void Add(const std::string& name, const Bytes& bytes, const std::string& expected) {
    if (!names_.insert(name).second) Die("duplicate case name " + name);
    Write(out_ / name, bytes);
    expected_.emplace_back(name, expected);
  }
  void Control(const std::string& name, const Bytes& bytes) { Write(out_ / "controls" / name, bytes); }

  void Finish() const {
    std::ofstream tsv(out_ / "EXPECTED.tsv");
    tsv << "file\texpected\n";
    for (const auto& [name, expected] : expected_) tsv << name << '\t' << expected << '\n';
    if (!tsv) Die("cannot write EXPECTED.tsv");
  }
  size_t size() const { return expected_.size(); }

 private:
  static void Write(const fs::path& path, const Bytes& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) Die("cannot write " + path.string());
  }
  fs::path out_;
  std::set<std::string> names_;
  std::vector<std::pair<std::string, std::string>> expected_;
};

Bytes ReadFile(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) Die("cannot read " + path.string());
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return ToBytes(s);
}

// The two tensors every built file starts from: w float32 [4, 6] (96 bytes), b float32 [6].
std::vector<TensorSpec> BaseTensors(bool legacy = false) {
  return {{"w", "0", 24, {4, 6}, {6, 1}, 0, "FloatStorage", legacy},
          {"b", "1", 6, {6}, {1}, 0, "FloatStorage", legacy}};
}

// ---------------------------------------------------------------------------------------------
// Torch zip archives built from records.

struct Record {
  std::string name;  // without the "archive/" prefix
  Bytes data;
  ZipAddOptions options = {};
};

Bytes TorchZip(const std::vector<Record>& records, const ZipFinishOptions& finish = {}, ZipLayout* layout = nullptr) {
  ZipBuilder zip;
  for (const Record& r : records) zip.Add("archive/" + r.name, r.data, r.options);
  Bytes out = zip.Finish(finish);
  if (layout) *layout = zip.layout();
  return out;
}

Record* FindRecord(std::vector<Record>& records, std::string_view name) {
  for (Record& r : records)
    if (r.name == name) return &r;
  Die("no record " + std::string(name));
}

// ---------------------------------------------------------------------------------------------
// The generator proper.

class Generator {
 public:
  Generator(uint64_t seed, fs::path corpus, Cases& cases) : rng_(seed), corpus_(std::move(corpus)), cases_(cases) {}

  void Run() {
    Controls();
    TruncatedTorchZip("pyribs_mnist_classifier.pth");
    TruncatedLegacy("facenet_pnet.pt");
    TruncatedSafetensors("hf_safetensors_samples_overall.safetensors");
    ZipOffsetsPastTheEnd();
    ZipStructure();
    ZipCompression();
    PickleAttacks();
    TensorAttacks();
    LegacyAttacks();
    SafetensorsAttacks();
  }

 private:
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  Bytes RandomBytes(size_t n) {
    Bytes out(n);
    for (std::byte& b : out) b = static_cast<std::byte>(rng_());
    return out;
  }

  // Records of a valid torch.save zip holding `pickle` and the two base storages.
  std::vector<Record> BaseRecords(Bytes pickle) {
    return {{"data.pkl", std::move(pickle)}, {"data/0", storage0_}, {"data/1", storage1_}, {"version", ToBytes("3\n")}};
  }
  void ZipCase(const std::string& name, const Bytes& pickle, const std::string& expected) {
    cases_.Add(name + ".pth", TorchZip(BaseRecords(pickle)), expected);
  }
  void TensorCase(const std::string& name, const std::vector<TensorSpec>& tensors, const std::string& expected) {
    ZipCase(name, StateDict(tensors), expected);
  }

  void Controls() {
    storage0_ = RandomBytes(96);
    storage1_ = RandomBytes(24);
    cases_.Control("torch_zip.pth", TorchZip(BaseRecords(StateDict(BaseTensors()))));
    cases_.Control("legacy.pt", Legacy(StateDict(BaseTensors(true)), {"0", "1"}, {{"0", storage0_}, {"1", storage1_}}));
    cases_.Control("model.safetensors", BaseSafetensors().Finish());
  }

  // --- truncation at every structure boundary of real files, plus seeded random points -------

  // Expected message for a prefix of a zip file: the end record is gone.
  static std::string ZipPrefixMessage(uint64_t size) {
    return size == 0 ? "empty file" : size < 4 ? "unrecognised format" : "no end-of-central-directory record";
  }

  void TruncatedTorchZip(const std::string& file) {
    const Bytes b = ReadFile(corpus_ / file);
    const ZipMap m = MapZip(b);
    std::map<uint64_t, std::string> cuts;  // offset -> what starts there
    for (size_t i = 0; i < m.entries.size(); ++i) {
      const auto& e = m.entries[i];
      cuts.try_emplace(e.local, "local" + std::to_string(i));
      cuts.try_emplace(e.local + 30, "localname" + std::to_string(i));
      cuts.try_emplace(e.data, "data" + std::to_string(i));
      cuts.try_emplace(e.data_end, "dataend" + std::to_string(i));
      cuts.try_emplace(e.central, "central" + std::to_string(i));
    }
    cuts.try_emplace(m.cd, "cd");
    if (m.zip64_end) cuts.try_emplace(*m.zip64_end, "zip64end");
    if (m.locator) cuts.try_emplace(*m.locator, "zip64locator");
    cuts.try_emplace(m.eocd, "eocd");
    cuts.try_emplace(b.size() - 1, "lastbyte");
    for (int i = 0; i < 6; ++i) cuts.try_emplace(Below(b.size()), "random" + std::to_string(i));
    for (const auto& [at, what] : cuts)
      cases_.Add(fmt::format("zip_trunc_{}_at{}.pth", what, at), Slice(b, 0, at), ZipPrefixMessage(at));
    // The same boundaries with the tail removed but the directory kept: data is missing while
    // the central directory and end records (patched to the new offsets) survive.
    uint64_t last_data_end = 0;  // past it only a data descriptor is lost, which is harmless
    for (const auto& e : m.entries) last_data_end = std::max(last_data_end, e.data_end);
    for (const auto& [at, what] : cuts) {
      if (at == 0 || at >= last_data_end || what.starts_with("random")) continue;
      cases_.Add(fmt::format("zip_hole_{}_at{}.pth", what, at), Holed(b, m, at),
                 "local header|past the end|beyond the file|overlaps the central directory|overlap");
    }
  }

  // b[0, at) + b[cd, end) with the end records pointing at the moved directory.
  static Bytes Holed(const Bytes& b, const ZipMap& m, uint64_t at) {
    Bytes out = Concat(Slice(b, 0, at), Slice(b, m.cd, b.size()));
    const uint64_t shift = m.cd - at;
    if (m.zip64_end) {
      PutLE64(out, *m.zip64_end - shift + 48, at);
      PutLE64(out, *m.locator - shift + 8, *m.zip64_end - shift);
    }
    if (Get(out, m.eocd - shift + 16, 4) != 0xFFFFFFFF) PutLE32(out, m.eocd - shift + 16, static_cast<uint32_t>(at));
    return out;
  }

  void TruncatedLegacy(const std::string& file) {
    static const char* kPickles[] = {"magic", "protocol version", "sys_info", "object", "storage keys"};
    const Bytes b = ReadFile(corpus_ / file);
    std::map<uint64_t, std::pair<std::string, std::string>> cuts;  // offset -> name, expected
    uint64_t pos = 0;
    for (int i = 0; i < 5; ++i) {
      uint64_t end = 0;
      std::vector<uint64_t> ops = PickleOpcodes(b, pos, &end);
      if (i > 0) cuts.try_emplace(pos, std::pair(fmt::format("pickle{}start", i), fmt::format("file ends before the {} pickle", kPickles[i])));
      // Every opcode boundary of the small pickles; a seeded sample of the object pickle's.
      for (size_t k = 1; k < ops.size(); ++k) {
        if (i == 3 && k != 1 && k + 1 != ops.size() && Below(ops.size()) >= 12) continue;
        cuts.try_emplace(ops[k], std::pair(fmt::format("pickle{}op{}", i, k), std::string("without a STOP opcode")));
      }
      pos = end;
    }
    // Storages: int64 count then count * 4 bytes (every storage of this file is float32).
    for (int k = 0; pos < b.size(); ++k) {
      cuts.try_emplace(pos, std::pair(fmt::format("storage{}count", k), std::string("truncated storage")));
      const uint64_t count = Get(b, pos, 8);
      cuts.try_emplace(pos + 4, std::pair(fmt::format("storage{}midcount", k), std::string("truncated storage")));
      cuts.try_emplace(pos + 8, std::pair(fmt::format("storage{}data", k), std::string("truncated storage")));
      if (count > 1) cuts.try_emplace(pos + 8 + count * 2, std::pair(fmt::format("storage{}middata", k), std::string("truncated storage")));
      pos += 8 + count * 4;
    }
    if (pos != b.size()) Die(file + ": storages do not end at the end of the file");
    cuts.try_emplace(b.size() - 1, std::pair(std::string("lastbyte"), std::string("truncated storage")));
    for (int i = 0; i < 6; ++i)
      cuts.try_emplace(1 + Below(b.size() - 1), std::pair(fmt::format("random{}", i), std::string("truncated|remain|file ends before|STOP|newline")));
    for (const auto& [at, what] : cuts) cases_.Add(fmt::format("legacy_trunc_{}_at{}.pt", what.first, at), Slice(b, 0, at), what.second);
  }

  void TruncatedSafetensors(const std::string& file) {
    const Bytes b = ReadFile(corpus_ / file);
    const uint64_t n = Get(b, 0, 8), data = 8 + n;
    std::set<uint64_t> cuts = {1, 4, 7, 8, 9, 8 + n / 2, data - 1, data, b.size() - 1};
    // Each tensor's data start, found from its "data_offsets":[begin,end] in the header.
    const std::string header(reinterpret_cast<const char*>(b.data()) + 8, n);
    for (size_t at = header.find("data_offsets"); at != std::string::npos; at = header.find("data_offsets", at + 1)) {
      const uint64_t begin = std::stoull(header.substr(header.find('[', at) + 1));
      cuts.insert(data + begin);
      cuts.insert(data + begin + 1);
    }
    for (int i = 0; i < 6; ++i) cuts.insert(1 + Below(b.size() - 1));
    for (uint64_t at : cuts) {
      if (at >= b.size()) continue;
      std::string expected = at >= data ? "past the end of the file" : at >= 9 ? "exceeds the file's" : SniffMessage(b, at);
      cases_.Add(fmt::format("st_trunc_at{}.safetensors", at), Slice(b, 0, at), expected);
    }
  }

  // Fewer than 9 bytes are not recognised as safetensors; they may look like a pickle.
  static std::string SniffMessage(const Bytes& b, uint64_t at) {
    const char first = static_cast<char>(b[0]);
    if (b[0] == std::byte{0x80} || std::string_view("(]}).NLIJKFSVcdlX").find(first) != std::string_view::npos) return "pickle";
    return "unrecognised format";
  }

  // --- zip: offsets and sizes past the end ---------------------------------------------------

  void ZipCaseRecords(const std::string& name, const std::vector<Record>& records, const std::string& expected,
                      const ZipFinishOptions& finish = {}) {
    cases_.Add(name + ".pth", TorchZip(records, finish), expected);
  }
  std::vector<Record> Base() { return BaseRecords(StateDict(BaseTensors())); }

  void ZipOffsetsPastTheEnd() {
    auto r = Base();
    FindRecord(r, "data/0")->options.local_header_offset = 1u << 30;
    ZipCaseRecords("zip_cd_local_offset_past_end", r, "beyond the file");
    r = Base();
    FindRecord(r, "data/1")->options.compressed_size = 1u << 20;
    FindRecord(r, "data/1")->options.uncompressed_size = 1u << 20;
    ZipCaseRecords("zip_cd_size_past_end", r, "past the end of the file");
    r = Base();
    FindRecord(r, "data/0")->options.compressed_size = 96 + 64;
    FindRecord(r, "data/0")->options.uncompressed_size = 96 + 64;
    ZipCaseRecords("zip_entries_overlap", r, "overlap");
    r = Base();
    FindRecord(r, "data/0")->options.compressed_size = 200;
    ZipCaseRecords("zip_stored_sizes_differ", r, "is stored but records");
    ZipCaseRecords("zip_eocd_cd_offset_past_end", Base(), "extends past its end record", {.cd_offset = 1ull << 40});
    ZipCaseRecords("zip_eocd_cd_size_past_end", Base(), "extends past its end record", {.cd_size = 1ull << 33});
    ZipCaseRecords("zip_eocd_classic_cd_offset_past_end", Base(), "extends past its end record",
                   {.zip64 = false, .cd_offset = 0xFFFFFF00});
    ZipCaseRecords("zip_eocd_entry_count_huge", Base(), "the limit is", {.entry_count = 1ull << 40});
    ZipCaseRecords("zip_eocd_entry_count_too_many", Base(), "cannot hold", {.entry_count = 1000});
    ZipCaseRecords("zip_eocd_entry_count_too_few", Base(), "entries use", {.entry_count = 2});
    Zip64Fields();
  }

  void Zip64Fields() {
    auto r = Base();
    FindRecord(r, "data/0")->options.zip64_extra = true;
    FindRecord(r, "data/0")->options.local_header_offset = 1ull << 50;
    ZipCaseRecords("zip64_extra_offset_past_end", r, "beyond the file");
    r = Base();
    auto& o = FindRecord(r, "data/1")->options;
    o.zip64_extra = true;
    o.compressed_size = o.uncompressed_size = 1ull << 50;
    ZipCaseRecords("zip64_extra_size_past_end", r, "past the end of the file");
    r = Base();
    FindRecord(r, "data/0")->options.compressed_size = 0xFFFFFFFF;
    FindRecord(r, "data/0")->options.uncompressed_size = 0xFFFFFFFF;
    ZipCaseRecords("zip64_placeholder_without_extra", r, "no ZIP64 extra field");
    r = Base();
    FindRecord(r, "data/0")->options.local_header_offset = 0xFFFFFFFF;
    FindRecord(r, "data/0")->options.central_extra = {std::byte{1}, std::byte{0}, std::byte{4}, std::byte{0},
                                                      std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}};
    ZipCaseRecords("zip64_extra_too_short", r, "too short");
    r = Base();
    FindRecord(r, "data/0")->options.central_extra = {std::byte{0x34}, std::byte{0x12}, std::byte{100}, std::byte{0}};
    ZipCaseRecords("zip_extra_field_runs_past_end", r, "malformed extra field");
    ZipCaseRecords("zip64_end_cd_offset_past_end", Base(), "extends past its end record",
                   {.classic_placeholders = true, .cd_offset = 1ull << 62});
    ZipLayout layout;
    Bytes b = TorchZip(Base(), {}, &layout);
    PutLE64(b, *layout.zip64_locator + 8, 0);
    cases_.Add("zip64_locator_wrong_offset.pth", b, "no ZIP64 end-of-central-directory record");
    b = TorchZip(Base(), {}, &layout);
    PutLE64(b, *layout.zip64_locator + 8, 1ull << 60);
    cases_.Add("zip64_locator_offset_past_end.pth", b, "leaves no room");
    b = TorchZip(Base(), {}, &layout);
    PutLE64(b, *layout.zip64_end + 4, 1ull << 40);
    cases_.Add("zip64_end_record_size_huge.pth", b, "declares a size of");
    b = TorchZip(Base(), {}, &layout);
    PutLE16(b, layout.end + 10, 7);
    cases_.Add("zip_end_records_disagree.pth", b, "disagree");
    b = TorchZip(Base(), {}, &layout);
    PutLE64(b, *layout.zip64_end + 24, 3);
    cases_.Add("zip64_end_entries_on_disk_differ.pth", b, "on this disk");
  }

  // --- zip: names, prefix, duplicates, flags, disks -------------------------------------------

  void ZipStructure() {
    ZipBuilder outside;
    for (const Record& rec : Base()) outside.Add("archive/" + rec.name, rec.data);
    outside.Add("other/evil.pkl", ToBytes("x"));
    cases_.Add("zip_entry_outside_prefix.pth", outside.Finish(), "outside the archive prefix");
    ZipBuilder sibling;
    for (const Record& rec : Base()) sibling.Add("archive/" + rec.name, rec.data);
    sibling.Add("archivex/data.pkl", ToBytes("x"));
    cases_.Add("zip_entry_sibling_prefix.pth", sibling.Finish(), "outside the archive prefix");
    ZipBuilder top;
    top.Add("data.pkl", StateDict(BaseTensors()));
    cases_.Add("zip_first_entry_no_folder.pth", top.Finish(), "not inside an archive folder");
    cases_.Add("zip_no_entries.pth", ZipBuilder().Finish({.zip64 = false}), "no entries");

    auto r = Base();
    r.push_back({"data/0", storage0_});
    ZipCaseRecords("zip_duplicate_name", r, "duplicate zip entry");
    r = Base();
    r.push_back({"DATA/0", storage0_});
    ZipCaseRecords("zip_duplicate_name_case", r, "ignoring case");
    r = Base();
    r.push_back({"Data.PKL", StateDict({})});
    ZipCaseRecords("zip_duplicate_data_pkl_case", r, "ignoring case");
    r = Base();
    FindRecord(r, "data/0")->options.flags = 0x0809;
    ZipCaseRecords("zip_encrypted_flag", r, "encrypted");
    r = Base();
    FindRecord(r, "data.pkl")->options.flags = 0x0848;
    ZipCaseRecords("zip_strong_encryption_flag", r, "encrypted");
    r = Base();
    FindRecord(r, "data/0")->options.local_name = "archive/data/9";
    ZipCaseRecords("zip_local_central_name_mismatch", r, "in its local header");
    r = Base();
    FindRecord(r, "data.pkl")->options.local_name = "archive/DATA.PKL";
    ZipCaseRecords("zip_local_central_name_case_mismatch", r, "in its local header");
    r = {{"data/0", storage0_}, {"version", ToBytes("3\n")}};
    ZipCaseRecords("zip_no_data_pkl", r, "no data.pkl");
    r = Base();
    r.insert(r.begin() + 1, {"byteorder", ToBytes("middle")});
    ZipCaseRecords("zip_bad_byteorder", r, "byteorder record says 'middle'");
    r = Base();
    r.push_back({std::string("data/\0x", 7), ToBytes("x")});
    ZipCaseRecords("zip_nul_in_name", r, "NUL byte");
    MultiDisk();
  }

  void MultiDisk() {
    ZipLayout layout;
    Bytes b = TorchZip(Base(), {.zip64 = false}, &layout);
    PutLE16(b, layout.end + 4, 1);
    PutLE16(b, layout.end + 6, 1);
    cases_.Add("zip_multidisk_eocd.pth", b, "multi-disk");
    b = TorchZip(Base(), {}, &layout);
    PutLE32(b, *layout.zip64_locator + 16, 3);
    cases_.Add("zip_multidisk_zip64_locator.pth", b, "multi-disk");
    b = TorchZip(Base(), {}, &layout);
    PutLE32(b, *layout.zip64_end + 16, 2);
    cases_.Add("zip_multidisk_zip64_end.pth", b, "multi-disk");
    auto r = Base();
    FindRecord(r, "data/0")->options.central_extra = {std::byte{1}, std::byte{0}, std::byte{4}, std::byte{0},
                                                      std::byte{5}, std::byte{0}, std::byte{0}, std::byte{0}};
    Bytes one = TorchZip(r, {}, &layout);
    PutLE16(one, layout.entries[1].central + 34, 0xFFFF);  // disk number start: see the ZIP64 extra
    cases_.Add("zip_multidisk_entry.pth", one, "multi-disk");
  }

  // --- zip: compression ----------------------------------------------------------------------

  void ZipCompression() {
    auto r = Base();
    FindRecord(r, "data.pkl")->options.method = 12;  // bzip2
    ZipCaseRecords("zip_unknown_method", r, "compression method 12");
    r = Base();
    FindRecord(r, "data/0")->options.method = 99;  // AES
    ZipCaseRecords("zip_unknown_method_storage", r, "compression method 99");
    r = Base();
    FindRecord(r, "data.pkl")->options.method = 8;  // stored bytes read as deflate
    ZipCaseRecords("zip_invalid_deflate", r, "deflate");
    r = Base();
    FindRecord(r, "data.pkl")->options.deflate = true;
    FindRecord(r, "data.pkl")->options.uncompressed_size = 1ull << 40;
    FindRecord(r, "data.pkl")->options.zip64_extra = true;
    ZipCaseRecords("zip_deflate_declared_huge", r, "over the limit");
    r = Base();
    FindRecord(r, "data.pkl")->options.deflate = true;
    FindRecord(r, "data.pkl")->options.uncompressed_size = StateDict(BaseTensors()).size() + 10;
    ZipCaseRecords("zip_deflate_shorter_than_declared", r, "but its recorded size is");
    r = Base();
    Record& pkl = *FindRecord(r, "data.pkl");
    pkl.options.deflate = true;
    pkl.options.compressed_size = gitmodel::testutil::RawDeflate(pkl.data).size() / 2;
    ZipCaseRecords("zip_deflate_truncated", r, "deflate");
    // The bomb: 128 MiB of zeros (about 128 KiB deflated) declared as the 96-byte storage.
    r = Base();
    Record& bomb = *FindRecord(r, "data/0");
    bomb.data = Bytes(128u << 20);
    bomb.options.deflate = true;
    bomb.options.uncompressed_size = 96;
    ZipCaseRecords("zip_deflate_bomb", r, "inflates to more than its recorded 96 bytes");
  }

  // --- pickles inside a valid torch zip (data.pkl replaced) -----------------------------------

  void PickleAttacks() {
    ZipCase("pkl_mark_nest_100k", Pickle().Proto().Ops('(', 100000).Stop().bytes(), "nests more than");
    // A million memo entries (MEMOIZE), then a lookup of one never stored. Going past the reader's
    // 4M-entry limit takes ~7 s in a Debug ASan build, too close to the 10 s budget per run.
    ZipCase("pkl_memo_many_entries", Pickle().Proto(4).EmptyList().Ops(0x94, 1u << 20).Op('j').U(1u << 21, 4).Stop().bytes(),
            "memo key 2097152 was never stored");
    Pickle huge;
    huge.Proto().EmptyList();
    for (int i = 0; i < 1000; ++i) huge.Op('r').U(0xFFFFFFFF - Below(1u << 31), 4);  // LONG_BINPUT
    ZipCase("pkl_memo_huge_indices", huge.Op('j').U(7, 4).Stop().bytes(), "memo key 7 was never stored");
    ZipCase("pkl_binget_unset", Pickle().Proto().EmptyList().Op('h').U(3, 1).Stop().bytes(), "memo key 3 was never stored");
    ZipCase("pkl_binunicode_huge", Pickle().Proto().Op('X').U(0xFFFFFFF0, 4).Text("abc").Stop().bytes(), "byte limit");
    ZipCase("pkl_binunicode_past_end", Pickle().Proto().Op('X').U(1u << 20, 4).Text("abc").Stop().bytes(), "needs 1048576 bytes");
    ZipCase("pkl_binunicode8_huge", Pickle().Proto(4).Op(0x8d).U(1ull << 63, 8).Text("abc").Stop().bytes(), "byte limit");
    ZipCase("pkl_binbytes8_past_end", Pickle().Proto(4).Op(0x8e).U(1u << 29, 8).Text("abc").Stop().bytes(), "only");
    ZipCase("pkl_long4_huge", Pickle().Proto().Op(0x8b).U(1u << 20, 4).Stop().bytes(), "pickle integer of");
    ZipCase("pkl_unknown_opcode", Pickle().Proto().Op(0xff).Stop().bytes(), "unknown opcode");
    ZipCase("pkl_setitem_on_list", Pickle().Proto().EmptyList().Int(1).Int(2).SetItem().Stop().bytes(), "not a dict");
    ZipCase("pkl_setitems_on_tuple", Pickle().Proto().EmptyTuple().Mark().Int(1).Int(2).SetItems().Stop().bytes(), "not a dict");
    ZipCase("pkl_append_to_dict", Pickle().Proto().EmptyDict().Int(1).Op('a').Stop().bytes(), "not a list");
    ZipCase("pkl_out_of_band_buffer", Pickle().Proto(5).Op(0x97).Stop().bytes(), "out-of-band");
    ZipCase("pkl_readonly_buffer", Pickle().Proto(5).EmptyList().Op(0x98).Stop().bytes(), "out-of-band");
    ZipCase("pkl_stack_underflow", Pickle().Proto().Op('0').Stop().bytes(), "stack underflow");
    ZipCase("pkl_stop_empty_stack", Pickle().Proto().Stop().bytes(), "empty stack");
    ZipCase("pkl_no_stop", Pickle().Proto().EmptyDict().bytes(), "without a STOP");
    ZipCase("pkl_empty", Bytes(), "without a STOP");
    ZipCase("pkl_protocol_9", Pickle().Proto(9).None().Stop().bytes(), "unsupported pickle protocol 9");
    ZipCase("pkl_pop_mark_without_mark", Pickle().Proto().Op('1').Stop().bytes(), "no MARK");
    ZipCase("pkl_reduce_args_not_tuple", Pickle().Proto().Global("builtins", "set").EmptyList().Reduce().Stop().bytes(), "not a tuple");
    ZipCase("pkl_stack_global_not_strings", Pickle().Proto(4).Int(1).Int(2).Op(0x93).Stop().bytes(), "not strings");
    ZipCase("pkl_odd_setitems", Pickle().Proto().EmptyDict().Mark().Int(1).SetItems().Stop().bytes(), "odd number");
    ZipCase("pkl_text_line_unterminated", Pickle().Proto().Op('c').Text("os").bytes(), "newline");
    ZipCase("pkl_bad_float_text", Pickle().Op('F').Text("1.2.3\n").Stop().bytes(), "bad float");
    ZipCase("pkl_deep_tree", Pickle().Proto().Ops(']', 400).Ops('a', 399).Stop().bytes(), "nests deeper than");
  }

  // --- torch tensors and persistent ids --------------------------------------------------------

  void TensorAttacks() {
    auto t = BaseTensors();
    t[0].numel = 1000;
    TensorCase("torch_storage_numel_gt_record", t, "record has 96 bytes, storage needs 4000");
    t = BaseTensors();
    t[0].numel = INT64_MAX;
    TensorCase("torch_storage_numel_overflows", t, "overflows");
    t = BaseTensors();
    t[0].offset = 20;
    TensorCase("torch_view_past_storage", t, "tensor needs 176 bytes of storage");
    t = BaseTensors();
    t[1].size = {7};
    TensorCase("torch_view_one_past_storage", t, "tensor needs 28 bytes of storage");
    t = BaseTensors();
    t[0].stride = {1ll << 62, 1};
    TensorCase("torch_view_stride_overflow", t, "overflows 64-bit offsets");
    t = BaseTensors();
    t[0].stride = {-6, 1};
    TensorCase("torch_negative_stride", t, "stride holds a negative value");
    t = BaseTensors();
    t[0].size = {4, -6};
    TensorCase("torch_negative_size", t, "size holds a negative value");
    t = BaseTensors();
    t[0].offset = -1;
    TensorCase("torch_negative_offset", t, "bad storage offset");
    t = BaseTensors();
    t[0].size.assign(1000, 1);
    t[0].stride.assign(1000, 1);
    TensorCase("torch_rank_1000", t, "rank 1000");
    t = BaseTensors();
    t[0].stride = {1};
    TensorCase("torch_rank_mismatch", t, "size has 2 dimensions but stride has 1");
    t = BaseTensors();
    t[1].key = "7";
    TensorCase("torch_missing_storage_record", t, "missing storage record");
    t = BaseTensors();
    t[1].key = "7\nsecond line";  // the message must still be one line
    TensorCase("torch_missing_storage_record_newline_key", t, "missing storage record");
    t = BaseTensors();
    t[1].key = "0";
    t[1].storage_class = "DoubleStorage";
    TensorCase("torch_storage_two_dtypes", t, "two element types");
    t = BaseTensors();
    t[0].storage_class = "EvilStorage";
    TensorCase("torch_unknown_storage_type", t, "unknown storage type");
    t = BaseTensors();
    t[1].numel = -5;
    TensorCase("torch_negative_numel", t, "bad element count");
    t = BaseTensors();
    t[0].storage_class = "QUInt4x2Storage";
    t[0].numel = 1000;
    TensorCase("torch_quint4x2_numel_gt_record", t, "truncated storage");
    PersistentIdAttacks();
    MetaAndV3Attacks();
  }

  // numpy.dtype('zz') is an inert dtype node torch has no name for.
  void MetaAndV3Attacks() {
    auto unknown_dtype = [](Pickle& p) { p.Global("numpy", "dtype").Str("zz").Op(0x85).Reduce(); };
    Pickle meta;
    meta.Proto().Global("torch._utils", "_rebuild_meta_tensor_no_storage").Mark();
    unknown_dtype(meta);
    meta.Ints({2, 3}).Ints({3, 1}).False().Tuple().Reduce().Stop();
    ZipCase("torch_meta_unknown_dtype", meta.bytes(), "dtype");
    Pickle v3;
    v3.Proto().Global("torch._utils", "_rebuild_tensor_v3").Mark();
    PersistentId(v3, {"w", "0", 96, {}, {}, 0, "UntypedStorage"});
    v3.Int(0).Ints({24}).Ints({1}).False().OrderedDict();
    unknown_dtype(v3);
    ZipCase("torch_v3_unknown_dtype", v3.Tuple().Reduce().Stop().bytes(), "dtype");
  }

  void PersistentIdAttacks() {
    auto pid_case = [&](const std::string& name, const Pickle& pid, const std::string& expected) {
      Bytes b = Pickle().Proto().Global("torch._utils", "_rebuild_tensor_v2").Mark().bytes();
      b.insert(b.end(), pid.bytes().begin(), pid.bytes().end());
      Pickle rest;
      rest.Op('Q').Int(0).Ints({1}).Ints({1}).False().OrderedDict().Tuple().Reduce().Stop();
      b.insert(b.end(), rest.bytes().begin(), rest.bytes().end());
      ZipCase(name, b, expected);
    };
    pid_case("pid_string", Pickle().Str("storage"), "persistent id is not a");
    pid_case("pid_short_tuple", Pickle().Mark().Str("storage").Global("torch", "FloatStorage").Str("0").Str("cpu").Tuple(),
             "persistent id is not a");
    pid_case("pid_kind_not_storage", Pickle().Mark().Str("evil").Int(1).Int(2).Int(3).Int(4).Tuple(), "other than 'storage'");
    pid_case("pid_type_not_class", Pickle().Mark().Str("storage").Str("torch.FloatStorage").Str("0").Str("cpu").Int(1).Tuple(),
             "storage type is not a class");
    pid_case("pid_key_not_string", Pickle().Mark().Str("storage").Global("torch", "FloatStorage").None().Str("cpu").Int(1).Tuple(),
             "storage key is not a string");
    Pickle few;
    few.Proto().Global("torch._utils", "_rebuild_tensor_v2").Mark();
    PersistentId(few, BaseTensors()[0]);
    ZipCase("torch_rebuild_too_few_args", few.Int(0).Tuple().Reduce().Stop().bytes(), "expected 6 arguments");
  }

  // --- legacy (torch < 1.6) stacked pickles -----------------------------------------------------

  static Bytes MagicPickle(uint8_t last = 0x19) {
    Pickle p;
    p.Proto().Op(0x8a).U(10, 1);
    for (uint8_t byte : {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50}) p.U(byte, 1);
    return p.U(last, 1).Stop().bytes();
  }
  static Bytes SysInfo() {
    Pickle p;
    p.Proto().EmptyDict().Mark().Str("protocol_version").Op('M').U(1001, 2).Str("little_endian").Op(0x88);
    p.Str("type_sizes").EmptyDict().Mark().Str("short").Int(2).Str("int").Int(4).Str("long").Int(4).SetItems();
    return p.SetItems().Stop().bytes();
  }
  static Bytes KeysPickle(const std::vector<std::string>& keys) {
    Pickle p;
    p.Proto().EmptyList().Mark();
    for (const std::string& k : keys) p.Str(k);
    return p.Op('e').Stop().bytes();
  }
  // magic, protocol, sys_info, object, keys, then each storage as int64 count + float32 bytes.
  static Bytes Legacy(const Bytes& object, const std::vector<std::string>& keys,
                      const std::vector<std::pair<std::string, Bytes>>& storages, uint16_t protocol = 1001,
                      uint8_t magic_last = 0x19) {
    Bytes out = MagicPickle(magic_last);
    out = Concat(out, Pickle().Proto().Op('M').U(protocol, 2).Stop().bytes());
    out = Concat(Concat(Concat(out, SysInfo()), object), KeysPickle(keys));
    for (const auto& [key, data] : storages) {
      out = Concat(out, Pickle().U(data.size() / 4, 8).bytes());
      out = Concat(out, data);
    }
    return out;
  }

  void LegacyAttacks() {
    const Bytes object = StateDict(BaseTensors(true));
    const std::vector<std::pair<std::string, Bytes>> storages = {{"0", storage0_}, {"1", storage1_}};
    cases_.Add("legacy_bad_magic.pt", Legacy(object, {"0", "1"}, storages, 1001, 0x18), "magic");
    Bytes broken_magic = Legacy(object, {"0", "1"}, storages);
    broken_magic[3] = std::byte{0x40};  // LONG1's length byte: the magic pickle swallows the next ones
    cases_.Add("legacy_magic_length_broken.pt", broken_magic, "pickle");
    auto quint = BaseTensors(true);
    quint[0].storage_class = "QUInt4x2Storage";
    cases_.Add("legacy_quint4x2_storage.pt", Legacy(StateDict(quint), {"0", "1"}, storages), "truncated storage|tensor needs");
    cases_.Add("legacy_bad_protocol.pt", Legacy(object, {"0", "1"}, storages, 1000), "protocol version other than 1001");
    cases_.Add("legacy_listed_unused_storage.pt", Legacy(object, {"0", "1", "9"}, Concat3(storages, {"9", storage1_})),
               "listed but never used");
    cases_.Add("legacy_storage_listed_twice.pt", Legacy(object, {"0", "1", "1"}, Concat3(storages, {"1", storage1_})),
               "listed twice");
    cases_.Add("legacy_used_storage_without_data.pt", Legacy(object, {"0"}, {storages[0]}), "has no data");
    cases_.Add("legacy_keys_not_a_list.pt", Concat(Slice(Legacy(object, {}, {}), 0, LegacyObjectEnd(object)),
                                                   Pickle().Proto().Str("0").Stop().bytes()),
               "not a list");
    Bytes count = Legacy(object, {"0", "1"}, storages);
    PutLE64(count, LegacyObjectEnd(object) + KeysPickle({"0", "1"}).size(), 1ull << 40);
    cases_.Add("legacy_storage_count_beyond_file.pt", count, "truncated storage 0");
    count = Legacy(object, {"0", "1"}, storages);
    PutLE64(count, LegacyObjectEnd(object) + KeysPickle({"0", "1"}).size() + 8 + 96, static_cast<uint64_t>(-3));
    cases_.Add("legacy_storage_count_negative.pt", count, "truncated storage 1");
    RealLegacyCount();
    LegacyViews(storages);
  }
  static std::vector<std::pair<std::string, Bytes>> Concat3(std::vector<std::pair<std::string, Bytes>> a,
                                                            std::pair<std::string, Bytes> b) {
    a.push_back(std::move(b));
    return a;
  }
  static uint64_t LegacyObjectEnd(const Bytes& object) {
    return MagicPickle().size() + Pickle().Proto().Op('M').U(1001, 2).Stop().bytes().size() + SysInfo().size() + object.size();
  }

  // facenet_pnet.pt with its first storage's element count patched past the end of the file.
  void RealLegacyCount() {
    Bytes b = ReadFile(corpus_ / "facenet_pnet.pt");
    uint64_t pos = 0;
    for (int i = 0; i < 5; ++i) PickleOpcodes(b, pos, &pos);
    PutLE64(b, pos, 1ull << 50);
    cases_.Add("legacy_real_storage_count_beyond_file.pt", b, "truncated storage");
  }

  // Legacy view persistent ids: ('storage', type, key, location, numel, (view_key, offset, size)).
  void LegacyViews(const std::vector<std::pair<std::string, Bytes>>& storages) {
    auto view_object = [&](int64_t offset, int64_t size) {
      Pickle p;
      p.Proto().OrderedDict().Mark().Str("v").Global("torch._utils", "_rebuild_tensor_v2").Mark();
      p.Mark().Str("storage").Global("torch", "FloatStorage").Str("0").Str("cpu").Int(24);
      p.Mark().Str("0v").Int(offset).Int(size).Tuple().Tuple().BinPersId();
      p.Int(0).Ints({size}).Ints({1}).False().OrderedDict().Tuple().Reduce();
      return p.SetItems().Stop().bytes();
    };
    cases_.Add("legacy_view_outside_storage.pt", Legacy(view_object(20, 10), {"0"}, {storages[0]}), "lies outside storage");
    cases_.Add("legacy_view_negative_offset.pt", Legacy(view_object(-1, 4), {"0"}, {storages[0]}), "view metadata");
  }

  // --- safetensors ----------------------------------------------------------------------------

  SafetensorsBuilder BaseSafetensors() {
    SafetensorsBuilder st;
    st.Metadata("format", "pt");
    st.Add("w", "F32", {4, 6}, storage0_);
    st.Add("b", "F32", {6}, storage1_);
    return st;
  }
  void StCase(const std::string& name, const Bytes& bytes, const std::string& expected) {
    cases_.Add(name + ".safetensors", bytes, expected);
  }
  // (The builder's option structs have no default member initializers, so no designated ones here.)
  static SafetensorsAddOptions Offsets(uint64_t begin, uint64_t end) {
    SafetensorsAddOptions o;
    o.data_offsets = std::pair(begin, end);
    return o;
  }
  static SafetensorsAddOptions Raw(std::string json) {
    SafetensorsAddOptions o;
    o.raw_entry = std::move(json);
    return o;
  }
  static SafetensorsFinishOptions HeaderLength(uint64_t n) {
    SafetensorsFinishOptions o;
    o.header_length = n;
    return o;
  }
  static SafetensorsFinishOptions Header(std::string text) {
    SafetensorsFinishOptions o;
    o.header = std::move(text);
    return o;
  }
  static SafetensorsFinishOptions Trailing(Bytes bytes) {
    SafetensorsFinishOptions o;
    o.trailing = std::move(bytes);
    return o;
  }

  void SafetensorsAttacks() {
    const Bytes valid = BaseSafetensors().Finish();
    StCase("st_header_length_beyond_file", BaseSafetensors().Finish(HeaderLength(valid.size())), "exceeds the file's");
    StCase("st_header_length_huge", BaseSafetensors().Finish(HeaderLength(1ull << 40)), "exceeds the limit");
    StCase("st_header_length_max", BaseSafetensors().Finish(HeaderLength(UINT64_MAX)), "exceeds the limit");
    StCase("st_overlap", SafetensorsBuilder().Add("w", "F32", {4, 6}, storage0_).Add("b", "F32", {6}, storage1_, Offsets(72, 96)).Finish(),
           "overlap");
    StCase("st_gap", SafetensorsBuilder().Add("w", "F32", {4, 6}, storage0_).Add("b", "F32", {2}, storage1_, Offsets(104, 112)).Finish(),
           "gap");
    StCase("st_leading_gap", SafetensorsBuilder().Add("b", "F32", {4}, storage1_, Offsets(8, 24)).Finish(), "gap: [0, 8)");
    StCase("st_wrong_byte_size", SafetensorsBuilder().Add("w", "F32", {4, 5}, storage0_).Finish(), "needs 80 bytes");
    StCase("st_end_before_begin", SafetensorsBuilder().Add("w", "F32", {0}, {}, Offsets(8, 4)).Finish(), "end before begin");
    StCase("st_offsets_past_end", SafetensorsBuilder().Add("w", "F32", {4, 6}, storage1_, Offsets(0, 96)).Finish(),
           "past the end of the file");
    StCase("st_trailing_bytes", BaseSafetensors().Finish(Trailing(RandomBytes(5))), "after the last tensor");
    StCase("st_bad_dtype", SafetensorsBuilder().Add("w", "F33", {4, 6}, storage0_).Finish(), "unknown dtype 'F33'");
    StCase("st_dtype_not_string", SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw(R"({"dtype":7,"shape":[6],"data_offsets":[0,24]})")).Finish(),
           "not a string");
    StCase("st_missing_shape", SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw(R"({"dtype":"F32","data_offsets":[0,24]})")).Finish(),
           "has no shape");
    StCase("st_negative_dim", SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw(R"({"dtype":"F32","shape":[-6],"data_offsets":[0,24]})")).Finish(),
           "negative");
    StCase("st_shape_overflow", SafetensorsBuilder().Add("w", "F32", {1ll << 32, 1ll << 32, 16}, storage1_, Offsets(0, 24)).Finish(),
           "overflows");
    StCase("st_f4_odd_bits", SafetensorsBuilder().Add("w", "F4", {3}, RandomBytes(2), Offsets(0, 2)).Finish(), "whole number of bytes");
    StCase("st_offsets_three", SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw(R"({"dtype":"F32","shape":[6],"data_offsets":[0,24,48]})")).Finish(),
           "data_offsets must be");
    StCase("st_entry_not_object", SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw("5")).Finish(), "not an object");
    StCase("st_invalid_json", BaseSafetensors().Finish(Header(R"({"w": {"dtype": "F32", "shape": [4, 6],)")), "not valid JSON");
    StCase("st_non_utf8_name", SafetensorsBuilder().Add("w\xff\xfe", "F32", {6}, storage1_).Finish(), "UTF-8|not valid JSON");
    StCase("st_duplicate_names", SafetensorsBuilder().Add("w", "F32", {6}, storage1_).Add("w", "F32", {6}, storage1_).Finish(),
           "duplicate key 'w'");
    StCase("st_metadata_not_string", SafetensorsBuilder().MetadataRaw("n", "5").Add("w", "F32", {6}, storage1_).Finish(),
           "__metadata__ value 'n'");
    const std::string deep = std::string(5000, '[') + std::string(5000, ']');  // in a member readers skip
    StCase("st_deep_json",
           SafetensorsBuilder().Add("w", "F32", {6}, storage1_, Raw(R"({"dtype":"F32","shape":[6],"data_offsets":[0,24],"x":)" + deep + "}")).Finish(),
           "nests deeper than");
  }

  std::mt19937_64 rng_;
  fs::path corpus_;
  Cases& cases_;
  Bytes storage0_, storage1_;
};

struct Args {
  uint64_t seed = 1;
  fs::path corpus, out;
};

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--seed") a.seed = std::stoull(argv[i + 1]);
    else if (flag == "--corpus") a.corpus = argv[i + 1];
    else if (flag == "--out") a.out = argv[i + 1];
    else return std::nullopt;
  }
  if (argc % 2 != 1 || a.corpus.empty() || a.out.empty()) return std::nullopt;
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  if (!args) {
    std::fprintf(stderr, "usage: gen_malformed --seed N --corpus DIR --out DIR\n");
    return 2;
  }
  try {
    Cases cases(args->out);
    Generator(args->seed, args->corpus, cases).Run();
    cases.Finish();
    std::printf("gen_malformed: wrote %zu malformed files (seed %llu) to %s\n", cases.size(),
                static_cast<unsigned long long>(args->seed), args->out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_malformed: %s\n", e.what());
    return 1;
  }
  return 0;
}
