#include "formats/pickle_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace gitmodel {
namespace {

class NoPersistence : public PickleHooks {
 public:
  Result<Node*> PersistentLoad(Node*) override { return Corrupt("no persistent ids here"); }
};

struct Parsed {
  NodeArena arena;
  NoPersistence hooks;
  Result<Node*> Read(const std::string& pickle, PickleLimits limits = {}) {
    PickleReader reader(arena, hooks, limits);
    return reader.Read(std::as_bytes(std::span(pickle.data(), pickle.size())));
  }
};

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}

TEST(PickleReader, Protocol2DictOfScalars) {
  // pickle.dumps({'a': 1, 'b': 2.5, 'c': None, 'd': True}, protocol=2)
  std::string p = Bytes({0x80, 2, '}', 'q', 0, '(', 'X', 1, 0, 0, 0, 'a', 'K', 1, 'X', 1, 0, 0, 0, 'b', 'G',
                         0x40, 0x04, 0, 0, 0, 0, 0, 0, 'X', 1, 0, 0, 0, 'c', 'N', 'X', 1, 0, 0, 0, 'd', 0x88, 'u', '.'});
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok()) << root.status().message();
  Node* d = *root;
  ASSERT_EQ(d->kind, NodeKind::kDict);
  ASSERT_EQ(d->entries.size(), 4u);
  EXPECT_EQ(d->entries[0].first->text, "a");
  EXPECT_EQ(d->entries[0].second->int_value, 1);
  EXPECT_DOUBLE_EQ(d->entries[1].second->float_value, 2.5);
  EXPECT_EQ(d->entries[2].second->kind, NodeKind::kNone);
  EXPECT_TRUE(d->entries[3].second->bool_value);
}

TEST(PickleReader, Protocol0TextOpcodes) {
  // pickle.dumps([1, 'x', 2.5, 123456789012345678901234567890], protocol=0)
  std::string p = "(lp0\nI1\naVx\np1\naF2.5\naL123456789012345678901234567890L\na.";
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok()) << root.status().message();
  ASSERT_EQ((*root)->items.size(), 4u);
  EXPECT_EQ((*root)->items[0]->int_value, 1);
  EXPECT_EQ((*root)->items[1]->text, "x");
  EXPECT_EQ((*root)->items[3]->kind, NodeKind::kBigInt);
  EXPECT_EQ((*root)->items[3]->text, "123456789012345678901234567890");
}

TEST(PickleReader, Long1NegativeAndHuge) {
  // LONG1 with 10 bytes: torch's legacy magic number 0x1950a86a20f9469cfc6c.
  std::string p = Bytes({0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, '.'});
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ((*root)->text, "119547037146038801333356");
  std::string neg = Bytes({0x80, 2, 0x8a, 1, 0xff, '.'});  // -1
  auto n = t.Read(neg);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->int_value, -1);
}

TEST(PickleReader, GlobalsAreReferencesNeverCalls) {
  // cos\nsystem\n(S'echo pwned'\ntR.  -- os.system('echo pwned')
  std::string p = "cos\nsystem\n(S'echo pwned'\ntR.";
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ((*root)->kind, NodeKind::kObject);
  EXPECT_EQ((*root)->class_name, "os.system");
  EXPECT_EQ((*root)->args->items[0]->text, "echo pwned");
}

TEST(PickleReader, StackGlobalFromMemo) {
  // protocol 4: STACK_GLOBAL whose operands come from the memo.
  std::string p = Bytes({0x80, 4, 0x8c, 2, 'o', 's', 0x94, 0x8c, 6, 's', 'y', 's', 't', 'e', 'm', 0x94, 0x93, ')', 'R', '.'});
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ((*root)->class_name, "os.system");
}

TEST(PickleReader, DeepMarkNestIsALimitError) {
  std::string p = "\x80\x02" + std::string(100000, '(');
  Parsed t;
  auto root = t.Read(p);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().code(), Code::kLimit);
  EXPECT_NE(root.status().message().find("MARK"), std::string::npos);
}

TEST(PickleReader, MemoBombIsBounded) {
  // EMPTY_LIST, then LONG_BINPUT under many keys: bounded by max_memo.
  std::string p = "\x80\x02]";
  for (uint32_t i = 0; i < 100; ++i) {
    p += 'r';
    p.append(reinterpret_cast<const char*>(&i), 4);
  }
  p += '.';
  Parsed t;
  PickleLimits limits;
  limits.max_memo = 50;
  auto root = t.Read(p, limits);
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("memo"), std::string::npos);
}

TEST(PickleReader, SharedReferencesAreNotCopied) {
  // l = []; [l, l, l, ...]: BINGET pushes the same node; no copying, no blow-up.
  std::string p = Bytes({0x80, 2, ']', 'q', 0, ']', 'q', 1, '('});
  for (int i = 0; i < 1000; ++i) p += Bytes({'h', 0});
  p += "e.";
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ((*root)->items.size(), 1000u);
  EXPECT_EQ((*root)->items[0], (*root)->items[999]);
  EXPECT_LT(t.arena.size(), 10u);
}

TEST(PickleReader, TruncatedStringNamesOffset) {
  std::string p = Bytes({0x80, 2, 'X', 0xff, 0xff, 0, 0, 'a', 'b', '.'});
  Parsed t;
  auto root = t.Read(p);
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("at offset 2"), std::string::npos) << root.status().message();
}

TEST(PickleReader, MissingStopIsAnError) {
  Parsed t;
  auto root = t.Read(Bytes({0x80, 2, 'K', 1}));
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("without a STOP"), std::string::npos);
}

TEST(PickleReader, SetItemOnListIsRefused) {
  Parsed t;
  auto root = t.Read(Bytes({0x80, 2, ']', 'K', 1, 'K', 2, 's', '.'}));
  ASSERT_FALSE(root.ok());
  EXPECT_NE(root.status().message().find("not a dict"), std::string::npos);
}

TEST(PickleReader, UnknownOpcodeAndMemoMiss) {
  Parsed t;
  EXPECT_FALSE(t.Read(Bytes({0x80, 2, 0xff, '.'})).ok());
  auto miss = t.Read(Bytes({0x80, 2, 'h', 7, '.'}));
  ASSERT_FALSE(miss.ok());
  EXPECT_NE(miss.status().message().find("memo key 7"), std::string::npos);
}

TEST(PickleReader, ConsumedStopsAtStop) {
  Parsed t;
  std::string p = Bytes({0x80, 2, 'K', 5, '.', 0x80, 2, 'K', 6, '.'});
  PickleReader reader(t.arena, t.hooks);
  size_t used = 0;
  auto first = reader.Read(std::as_bytes(std::span(p.data(), p.size())), &used);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(used, 5u);
  EXPECT_EQ((*first)->int_value, 5);
}

}  // namespace
}  // namespace gitmodel

namespace gitmodel {
namespace {

TEST(PickleReader, DuplicateDictKeysKeepFirstPositionLastValue) {
  // {'a': 1, 'b': 2} then SETITEM 'a' = 3, as Python would leave {'a': 3, 'b': 2}.
  std::string p = Bytes({0x80, 2, '}', '(', 'X', 1, 0, 0, 0, 'a', 'K', 1, 'X', 1, 0, 0, 0, 'b', 'K', 2, 'u',
                         'X', 1, 0, 0, 0, 'a', 'K', 3, 's', '.'});
  Parsed t;
  auto root = t.Read(p);
  ASSERT_TRUE(root.ok());
  ASSERT_EQ((*root)->entries.size(), 2u);
  EXPECT_EQ((*root)->entries[0].first->text, "a");
  EXPECT_EQ((*root)->entries[0].second->int_value, 3);
}

}  // namespace
}  // namespace gitmodel
