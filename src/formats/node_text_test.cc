#include "formats/node_text.h"

#include <gtest/gtest.h>

#include "formats/pickle_text.h"

namespace gitmodel {
namespace {

TEST(NodeText, ValidUtf8EscapesControlsAndReplacesBadBytes) {
  EXPECT_EQ(ValidUtf8("a\nb"), "a\\x0ab");
  EXPECT_EQ(ValidUtf8("a\nb", /*escape_controls=*/false), "a\nb");
  EXPECT_EQ(ValidUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(ValidUtf8("x\xff"), "x\xef\xbf\xbd");
  EXPECT_EQ(ValidUtf8("\xe2\x82"), "\xef\xbf\xbd\xef\xbf\xbd");  // truncated sequence
}

TEST(NodeText, KeyTextAndShortRepr) {
  NodeArena arena;
  Node* i = arena.New(NodeKind::kInt);
  i->int_value = -3;
  Node* s = arena.New(NodeKind::kString);
  s->text = std::string(100, 'x');
  Node* t = arena.New(NodeKind::kTuple);
  t->items = {i, i};
  EXPECT_EQ(KeyText(i), "-3");
  EXPECT_EQ(KeyText(t), "(-3,-3)");
  EXPECT_EQ(ShortRepr(s, 10), "'xxxxxx...");
  Node* d = arena.New(NodeKind::kDict);
  d->class_name = "collections.OrderedDict";
  d->entries = {{s, i}};
  EXPECT_EQ(ShortRepr(d), "collections.OrderedDict(1)");
}

TEST(PickleText, NumbersAndStrings) {
  EXPECT_EQ(ParseDecimalInt("12L"), 12);
  EXPECT_EQ(ParseDecimalInt("-7"), -7);
  EXPECT_FALSE(ParseDecimalInt("1x").has_value());
  EXPECT_TRUE(IsDecimalInteger("123456789012345678901234567890L"));
  EXPECT_EQ(UnquotePythonString("'a\\nb\\x41\\''"), "a\nbA'");
  EXPECT_FALSE(UnquotePythonString("'unterminated").has_value());
  EXPECT_EQ(DecodeRawUnicodeEscape("caf\\u00e9"), "caf\xc3\xa9");
  EXPECT_EQ(Utf8ToLatin1("\xc3\xbf"), std::string("\xff"));
  EXPECT_FALSE(Utf8ToLatin1("\xe2\x82\xac").has_value());  // the euro sign is not latin-1
  const std::byte minus_two[] = {std::byte{0xfe}, std::byte{0xff}};
  EXPECT_EQ(LittleEndianToInt64(minus_two), -2);
  EXPECT_EQ(LittleEndianToDecimal(minus_two), "-2");
}

}  // namespace
}  // namespace gitmodel
