#include "store/transfer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "base/atomic_file.h"
#include "base/testing/pseudo_random_bytes.h"
#include "store/file_remote.h"

namespace gitmodel {
namespace {

// A FileRemote that fails chosen operations: `failures[id]` times with `code`, then works.
class FaultyRemote : public Remote {
 public:
  explicit FaultyRemote(std::string root) : inner_("file://" + root, root) {}

  void FailGet(const ObjectId& id, int times, Code code = Code::kIO) { Plan(get_faults_, id, times, code); }
  void FailPut(const ObjectId& id, int times, Code code = Code::kIO) { Plan(put_faults_, id, times, code); }

  Result<bool> Has(const ObjectId& id) override {
    ++has_calls;
    return inner_.Has(id);
  }
  Status Put(const ObjectId& id, const std::string& local_path) override {
    ++put_calls;
    GM_RETURN_IF_ERROR(Fault(put_faults_, id, "PUT"));
    return inner_.Put(id, local_path);
  }
  Status Get(const ObjectId& id, const std::string& dest_path) override {
    ++get_calls;
    GM_RETURN_IF_ERROR(Fault(get_faults_, id, "GET"));
    return inner_.Get(id, dest_path);
  }
  std::string Describe() const override { return inner_.Describe(); }
  std::string ObjectPath(const ObjectId& id) const { return inner_.ObjectPath(id); }

  std::atomic<int> has_calls{0}, put_calls{0}, get_calls{0};

 private:
  using Faults = std::map<ObjectId, std::pair<int, Code>>;
  void Plan(Faults& faults, const ObjectId& id, int times, Code code) {
    std::lock_guard lock(mu_);
    faults[id] = {times, code};
  }
  Status Fault(Faults& faults, const ObjectId& id, std::string_view op) {
    std::lock_guard lock(mu_);
    auto it = faults.find(id);
    if (it == faults.end() || it->second.first == 0) return OkStatus();
    --it->second.first;
    return Status(it->second.second, fmt::format("{}: {} {}: injected failure", Describe(), op, ObjectHex(id)));
  }
  FileRemote inner_;
  std::mutex mu_;
  Faults get_faults_, put_faults_;
};

std::vector<std::byte> Bytes(size_t size, uint32_t seed) { return testutil::PseudoRandomBytes(size, seed); }

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gm-transfer-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.first_backoff = std::chrono::milliseconds(1);
    options_.jobs = 4;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ObjectId Store(const ObjectStore& store, const std::vector<std::byte>& raw, std::optional<ObjectId> base = {}) {
    PutOptions put;
    put.delta_base = base;
    auto result = store.Put(std::span<const std::byte>(raw), put);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? result->id : ObjectId{};
  }
  // A base and a delta of it (a few bytes changed), as training checkpoints produce.
  std::pair<ObjectId, ObjectId> BaseAndDelta(const ObjectStore& store) {
    base_raw_ = Bytes(200'000, 1);
    delta_raw_ = base_raw_;
    for (size_t i = 0; i < delta_raw_.size(); i += 997) delta_raw_[i] ^= std::byte{0x5a};
    ObjectId base = Store(store, base_raw_);
    ObjectId delta = Store(store, delta_raw_, base);
    auto header = store.Stat(delta);
    EXPECT_TRUE(header.ok() && header->base == base) << "the store did not keep a delta";
    return {base, delta};
  }

  std::filesystem::path dir_;
  TransferOptions options_;
  std::vector<std::byte> base_raw_, delta_raw_;
};

TEST_F(TransferTest, UploadTakesDeltaBasesAlongAndSkipsWhatIsThere) {
  ObjectStore local((dir_ / "a").string());
  auto [base, delta] = BaseAndDelta(local);
  ObjectId plain = Store(local, Bytes(5000, 2));
  FaultyRemote remote((dir_ / "remote").string());

  std::vector<ObjectId> ids{delta, plain};
  auto report = UploadObjects(local, remote, ids, options_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->transferred, 3u);
  EXPECT_EQ(report->already_there, 0u);
  EXPECT_GT(report->bytes, 0u);
  for (const ObjectId& id : {base, delta, plain}) EXPECT_TRUE(*remote.Has(id));

  int puts = remote.put_calls;
  report = UploadObjects(local, remote, ids, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->transferred, 0u);
  EXPECT_EQ(report->already_there, 3u);
  EXPECT_EQ(remote.put_calls, puts);
}

TEST_F(TransferTest, DownloadFetchesMissingBasesAndVerifies) {
  ObjectStore a((dir_ / "a").string());
  auto [base, delta] = BaseAndDelta(a);
  FaultyRemote remote((dir_ / "remote").string());
  std::vector<ObjectId> ids{delta};
  ASSERT_TRUE(UploadObjects(a, remote, ids, options_)->ok());

  ObjectStore b((dir_ / "b").string());
  auto report = DownloadObjects(b, remote, ids, options_);
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_TRUE(report->ok()) << report->failed[0].second.message();
  EXPECT_EQ(report->transferred, 2u);
  auto raw = b.Read(delta);
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  EXPECT_EQ(*raw, delta_raw_);
  EXPECT_TRUE(b.Contains(base));
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "b/tmp"));

  report = DownloadObjects(b, remote, ids, options_);
  EXPECT_EQ(report->transferred, 0u);
  EXPECT_EQ(report->already_there, 1u);
}

TEST_F(TransferTest, DeltaChainsAreFetchedBaseFirst) {
  ObjectStore a((dir_ / "a").string());
  std::vector<std::byte> raw = Bytes(100'000, 9);
  std::vector<ObjectId> chain{Store(a, raw)};
  for (int step = 1; step <= 3; ++step) {
    for (size_t i = step; i < raw.size(); i += 1009) raw[i] ^= std::byte{1};
    chain.push_back(Store(a, raw, chain.back()));
    auto header = a.Stat(chain.back());
    ASSERT_TRUE(header.ok() && header->depth == step) << "the store did not keep a delta chain";
  }
  FaultyRemote remote((dir_ / "remote").string());
  std::vector<ObjectId> top{chain.back()};
  auto up = UploadObjects(a, remote, top, options_);
  ASSERT_TRUE(up.ok() && up->ok());
  EXPECT_EQ(up->transferred, 4u);

  ObjectStore b((dir_ / "b").string());
  std::vector<ObjectId> both{chain[3], chain[2]};  // one round holds a delta and its base
  auto down = DownloadObjects(b, remote, both, options_);
  ASSERT_TRUE(down.ok() && down->ok()) << down->failed[0].second.message();
  EXPECT_EQ(down->transferred, 4u);
  auto back = b.Read(chain[3]);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, raw);
  EXPECT_EQ(remote.get_calls, 4);
}

TEST_F(TransferTest, CorruptRemoteObjectIsReportedNotRetriedNotInstalled) {
  ObjectStore a((dir_ / "a").string());
  ObjectId good = Store(a, Bytes(3000, 3));
  ObjectId bad = Store(a, Bytes(3000, 4));
  FaultyRemote remote((dir_ / "remote").string());
  std::vector<ObjectId> ids{good, bad};
  ASSERT_TRUE(UploadObjects(a, remote, ids, options_)->ok());
  // The remote's copy of `bad` now holds `good`'s bytes: a well-formed object with the wrong hash.
  std::filesystem::remove(remote.ObjectPath(bad));
  std::filesystem::copy_file(remote.ObjectPath(good), remote.ObjectPath(bad));

  ObjectStore b((dir_ / "b").string());
  auto report = DownloadObjects(b, remote, ids, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->transferred, 1u);
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].first, bad);
  const Status& why = report->failed[0].second;
  EXPECT_EQ(why.code(), Code::kCorrupt);
  EXPECT_TRUE(why.message().starts_with("object " + ObjectHex(bad) + " from file://")) << why.message();
  EXPECT_EQ(why.message().find('\n'), std::string::npos);
  EXPECT_EQ(remote.get_calls, 2);  // not retried
  EXPECT_FALSE(b.Contains(bad));
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "b/tmp"));
}

TEST_F(TransferTest, GarbageOnTheRemoteIsCorrupt) {
  ObjectStore a((dir_ / "a").string());
  ObjectId id = Store(a, Bytes(3000, 5));
  FaultyRemote remote((dir_ / "remote").string());
  std::vector<ObjectId> ids{id};
  ASSERT_TRUE(UploadObjects(a, remote, ids, options_)->ok());
  std::filesystem::remove(remote.ObjectPath(id));
  ASSERT_TRUE(WriteFileAtomically(remote.ObjectPath(id), "not an object at all").ok());
  ObjectStore b((dir_ / "b").string());
  auto report = DownloadObjects(b, remote, ids, options_);
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].second.code(), Code::kCorrupt) << report->failed[0].second.message();
  EXPECT_FALSE(b.Contains(id));
}

TEST_F(TransferTest, TransientFailuresAreRetriedPermanentOnesAreNot) {
  ObjectStore a((dir_ / "a").string());
  ObjectId flaky = Store(a, Bytes(1000, 6));
  ObjectId refused = Store(a, Bytes(1000, 7));
  ObjectId hopeless = Store(a, Bytes(1000, 8));
  FaultyRemote remote((dir_ / "remote").string());
  remote.FailPut(flaky, 3);
  remote.FailPut(refused, 1, Code::kInvalidArgument);
  remote.FailPut(hopeless, 100);
  options_.retries = 4;
  std::vector<ObjectId> ids{flaky, refused, hopeless};
  auto report = UploadObjects(a, remote, ids, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->transferred, 1u);
  ASSERT_EQ(report->failed.size(), 2u);
  EXPECT_EQ(remote.put_calls, 4 + 1 + 5);  // flaky: 3 failures + success; refused: once; hopeless: 1 + 4
  EXPECT_TRUE(*remote.Has(flaky));

  ObjectStore b((dir_ / "b").string());
  remote.FailGet(flaky, 2);
  std::vector<ObjectId> one{flaky};
  report = DownloadObjects(b, remote, one, options_);
  EXPECT_TRUE(report->ok());
  EXPECT_TRUE(b.Contains(flaky));
}

TEST_F(TransferTest, ObjectWhoseBaseFailedIsNotUploaded) {
  ObjectStore a((dir_ / "a").string());
  auto [base, delta] = BaseAndDelta(a);
  FaultyRemote remote((dir_ / "remote").string());
  remote.FailPut(base, 1, Code::kInvalidArgument);
  std::vector<ObjectId> ids{delta};
  auto report = UploadObjects(a, remote, ids, options_);
  ASSERT_EQ(report->failed.size(), 2u);
  EXPECT_FALSE(*remote.Has(delta));
  bool named = false;
  for (const auto& [id, status] : report->failed) {
    if (id == delta) named = status.message().find("delta base " + ObjectHex(base)) != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST_F(TransferTest, MissingObjectsAreReportedOnBothSides) {
  ObjectStore a((dir_ / "a").string());
  ObjectId absent = Sha256Of(std::as_bytes(std::span("absent", 6)));
  FaultyRemote remote((dir_ / "remote").string());
  std::vector<ObjectId> ids{absent};
  auto up = UploadObjects(a, remote, ids, options_);
  ASSERT_EQ(up->failed.size(), 1u);
  EXPECT_EQ(up->failed[0].second.code(), Code::kNotFound);
  auto down = DownloadObjects(a, remote, ids, options_);
  ASSERT_EQ(down->failed.size(), 1u);
  EXPECT_EQ(down->failed[0].second.code(), Code::kNotFound);
  EXPECT_EQ(remote.get_calls, 1);
}

TEST_F(TransferTest, RerunAfterAKillCompletesTheWork) {
  ObjectStore a((dir_ / "a").string());
  std::vector<ObjectId> ids;
  for (uint32_t i = 0; i < 12; ++i) ids.push_back(Store(a, Bytes(2000 + i, 100 + i)));
  FaultyRemote remote((dir_ / "remote").string());
  ASSERT_TRUE(UploadObjects(a, remote, ids, options_)->ok());

  // A killed run: some objects installed, a complete download and half-written temp files left.
  ObjectStore b((dir_ / "b").string());
  std::vector<ObjectId> first(ids.begin(), ids.begin() + 5);
  ASSERT_TRUE(DownloadObjects(b, remote, first, options_)->ok());
  std::string complete = fmt::format("{}/tmp/{}.999-0.download", b.root(), ObjectHex(ids[7]));
  std::string partial = fmt::format("{}/tmp/.{}.999-0.download.tmp-abc123", b.root(), ObjectHex(ids[8]));
  ASSERT_TRUE(WriteFileAtomically(complete, "garbage").ok());
  ASSERT_TRUE(WriteFileAtomically(partial, "x").ok());
  std::filesystem::last_write_time(partial, std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));

  auto report = DownloadObjects(b, remote, ids, options_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->already_there, 5u);
  EXPECT_EQ(report->transferred, 7u);
  for (const ObjectId& id : ids) EXPECT_TRUE(b.Read(id).ok());
  EXPECT_TRUE(std::filesystem::exists(complete));  // ignored: it may be another process's
  EXPECT_FALSE(std::filesystem::exists(partial));  // removed: a day old
}

TEST_F(TransferTest, ProgressCallbacksNeverOverlap) {
  ObjectStore a((dir_ / "a").string());
  std::vector<ObjectId> ids;
  for (uint32_t i = 0; i < 24; ++i) ids.push_back(Store(a, Bytes(1000, 200 + i)));
  FaultyRemote remote((dir_ / "remote").string());
  std::atomic<bool> inside{false};
  std::atomic<bool> overlapped{false};
  TransferProgress last;
  options_.jobs = 8;
  options_.progress = [&](const TransferProgress& p) {
    if (inside.exchange(true)) overlapped = true;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    last = p;
    inside = false;
  };
  auto report = UploadObjects(a, remote, ids, options_);
  ASSERT_TRUE(report.ok() && report->ok());
  EXPECT_FALSE(overlapped);
  EXPECT_EQ(last.objects_done, 24u);
  EXPECT_EQ(last.objects_total, 24u);
  EXPECT_EQ(last.bytes_done, last.bytes_total);
  EXPECT_EQ(last.bytes_done, report->bytes);
}

}  // namespace
}  // namespace gitmodel
