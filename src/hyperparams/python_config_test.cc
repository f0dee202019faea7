#include <gtest/gtest.h>

#include <cmath>

#include "formats/testing/expect_error.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/python_lexer.h"
#include "hyperparams/python_literal.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using testutil::ExpectError;

FlatParams Py(std::string_view text, size_t* skipped = nullptr) {
  auto r = ParsePythonConfig(text, "cfg.py", skipped);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : FlatParams{};
}

TEST(ConfigPython, LiteralAssignments) {
  const FlatParams p = Py(R"(
lr = 3e-4
epochs = 10
neg = -1
pos = +2.5
hexed = 0xFF
big_step = 1_000_000
amp = True
resume = None
layers = [64, 128,]
betas = (0.9, 0.999)
single = (1,)
paren = (7)
bare_tuple = 0.5, 0.25
tags = {"a", "b"}
opt = {"name": "adam", "betas": (0.9, 0.999), 3: "three", 0.5: "half", None: 0}
name: str = "x"
A = B = 1
inf_loss = float('inf')
neg_inf = -float("inf")
)");
  EXPECT_EQ(p, (FlatParams{{"lr", 3e-4}, {"epochs", 10}, {"neg", -1}, {"pos", 2.5}, {"hexed", 255}, {"big_step", 1000000},
                           {"amp", true}, {"resume", nullptr}, {"layers", json::array({64, 128})},
                           {"betas", json::array({0.9, 0.999})}, {"single", json::array({1})}, {"paren", 7},
                           {"bare_tuple", json::array({0.5, 0.25})}, {"tags", json::array({"a", "b"})},
                           {"opt.name", "adam"}, {"opt.betas", json::array({0.9, 0.999})}, {"opt.3", "three"},
                           {"opt.0.5", "half"}, {"opt.None", 0}, {"name", "x"}, {"A", 1}, {"B", 1},
                           {"inf_loss", INFINITY}, {"neg_inf", -INFINITY}}));
}

TEST(ConfigPython, StringForms) {
  const FlatParams p = Py(
      "a = 'single'\n"
      "b = \"double \\\"q\\\" \\n\\t\\x41\\u00e9\\U0001F600\\101\\q\"\n"
      "c = r'raw\\d+\\n'\n"
      "d = '''triple\n'quoted' \"\"\"\nlines'''\n"
      "e = \"\"\"x\\\ny\"\"\"\n"
      "f = ('implicit '\n     \"concat\" r'\\n')\n"
      "g = u'unicode'\n"
      "h = 'caf\xC3\xA9'\n"
      "i = ''\n"
      "j = ''''''\n");
  EXPECT_EQ(p.at("a"), json("single"));
  EXPECT_EQ(p.at("b"), json("double \"q\" \n\tA\xC3\xA9\xF0\x9F\x98\x80" "A\\q"));
  EXPECT_EQ(p.at("c"), json("raw\\d+\\n"));
  EXPECT_EQ(p.at("d"), json("triple\n'quoted' \"\"\"\nlines"));
  EXPECT_EQ(p.at("e"), json("xy"));
  EXPECT_EQ(p.at("f"), json("implicit concat\\n"));
  EXPECT_EQ(p.at("g"), json("unicode"));
  EXPECT_EQ(p.at("h"), json("caf\xC3\xA9"));
  EXPECT_EQ(p.at("i"), json(""));
  EXPECT_EQ(p.at("j"), json(""));
}

TEST(ConfigPython, DictCallsAsMmcvConfigsWriteThem) {
  const FlatParams p = Py(R"(
_base_ = ['../_base_/models/retinanet_r50_fpn.py']
model = dict(
    type='RetinaNet',
    backbone=dict(depth=50, frozen_stages=1,  # comment inside brackets
                  norm_cfg=dict(type='BN', requires_grad=True)),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001)
)");
  EXPECT_EQ(p.at("_base_"), json::array({"../_base_/models/retinanet_r50_fpn.py"}));
  EXPECT_EQ(p.at("model.type"), json("RetinaNet"));
  EXPECT_EQ(p.at("model.backbone.norm_cfg.requires_grad"), json(true));
  EXPECT_EQ(p.at("model.neck.in_channels"), json::array({256, 512, 1024, 2048}));
  EXPECT_EQ(p.at("optimizer.weight_decay"), json(0.0001));
}

TEST(ConfigPython, NonLiteralsAreRecordedAsTheirSourceText) {
  size_t skipped = 0;
  const FlatParams p = Py(R"(
SCHED = make_scheduler(0.1)
WIDTH = BASE * 2
PATH = os.path.join("a", "b")
LAYERS = [nn.Linear(3, 4)]
OPT = {"lr": 1e-3, "fn": torch.optim.Adam}
SQUARES = [i * i for i in range(4)]
BY_NAME = {k: v for k, v in pairs}
ACT = lambda x=1, *, y=2: x + y
NAME = f"run-{WIDTH}"
DEVICE = 'cuda' if USE_GPU else 'cpu'
ALIAS = WIDTH
MODEL = build(
    depth=50,  # comment inside the call
    widths=(64,
            128),
)
TOTAL = 1 + \
    2
dtype: "torch.dtype" = torch.float16
A = B = get()
x = f(); y = g(1)
BLOB = b"bytes"
Z = 1j
WEIRD = 010
)", &skipped);
  EXPECT_EQ(p, (FlatParams{{"SCHED", "make_scheduler(0.1)"},
                           {"WIDTH", "BASE * 2"},
                           {"PATH", "os.path.join(\"a\", \"b\")"},
                           {"LAYERS", "[nn.Linear(3, 4)]"},
                           {"OPT", "{\"lr\": 1e-3, \"fn\": torch.optim.Adam}"},
                           {"SQUARES", "[i * i for i in range(4)]"},
                           {"BY_NAME", "{k: v for k, v in pairs}"},
                           {"ACT", "lambda x=1, *, y=2: x + y"},
                           {"NAME", "f\"run-{WIDTH}\""},
                           {"DEVICE", "'cuda' if USE_GPU else 'cpu'"},
                           {"ALIAS", "WIDTH"},
                           {"MODEL", "build(\n    depth=50,  # comment inside the call\n    widths=(64,\n            128),\n)"},
                           {"TOTAL", "1 + \\\n    2"},
                           {"dtype", "torch.float16"},
                           {"A", "get()"},
                           {"B", "get()"},
                           {"x", "f()"},
                           {"y", "g(1)"},
                           {"BLOB", "b\"bytes\""},
                           {"Z", "1j"},
                           {"WEIRD", "010"}}));
  EXPECT_EQ(skipped, 0u);
}

TEST(ConfigPython, SourceTextKeepsTheFilesBytes) {
  EXPECT_EQ(Py("a = f(1,\r\n  2)\r\n"), (FlatParams{{"a", "f(1,\r\n  2)"}}));
  EXPECT_EQ(Py("a = f('caf\xC3\xA9')\n"), (FlatParams{{"a", "f('caf\xC3\xA9')"}}));
  EXPECT_EQ(Py("a = f('\xFF')\n"), (FlatParams{{"a", "f('\xEF\xBF\xBD')"}}));  // ill-formed UTF-8: U+FFFD
  EXPECT_EQ(Py("a = 1\na =\nb = c =\n"), FlatParams{});  // no expression: nothing known
}

TEST(ConfigPython, EverythingElseIsSkippedAndCounted) {
  size_t skipped = 0;
  const FlatParams p = Py(R"("""Module docstring."""
import os
from pathlib import Path
batch = 32
root = os.environ["DATA"]
half = batch // 2
greeting = f"hi {batch}"
blob = b"bytes"
z = 1j
cfg.lr = 0.5
d["k"] = 1
a, b = 1, 2
@decorator
def make():
    hidden = 1
    return hidden
class Config:
    inner = 2
if True: also_hidden = 3
for i in range(3): pass
x = 1; y = "two"; print(x)
weird = 010
ann: int
)", &skipped);
  EXPECT_EQ(p, (FlatParams{{"batch", 32}, {"root", "os.environ[\"DATA\"]"}, {"half", "batch // 2"},
                           {"greeting", "f\"hi {batch}\""}, {"blob", "b\"bytes\""}, {"z", "1j"}, {"x", 1},
                           {"y", "two"}, {"weird", "010"}}));
  EXPECT_EQ(skipped, 16u);  // every statement above but nine; the block bodies line by line
}

TEST(ConfigPython, ReboundNamesKeepTheLastKnownBinding) {
  EXPECT_EQ(Py("lr = 0.1\nlr *= 2\nwd = 1\nwd = compute()\nk = 1\nk, j = f()\nm = 1\nm = n = g()\nkeep = 1\n"),
            (FlatParams{{"wd", "compute()"}, {"m", "g()"}, {"n", "g()"}, {"keep", 1}}));
  EXPECT_EQ(Py("lr = 0.1\nlr = 0.2\n"), (FlatParams{{"lr", 0.2}}));
  EXPECT_EQ(Py("lr = base()\nlr = 0.2\n"), (FlatParams{{"lr", 0.2}}));
  EXPECT_EQ(Py("a = 1\nb = 2\nc = 3\nd = 4\n(a, *b) = f()\nf = lambda c=1: c\nd[0] = 5\ncfg.c = 6\n"),
            (FlatParams{{"c", 3}, {"d", 4}, {"f", "lambda c=1: c"}}));
}

TEST(ConfigPython, LineContinuationsAndLineEndings) {
  EXPECT_EQ(Py("lr = \\\n  0.5\nlayers = [1,\r\n  2]\r\nname = 'a'\r\n"),
            (FlatParams{{"lr", 0.5}, {"layers", json::array({1, 2})}, {"name", "a"}}));
  EXPECT_EQ(Py("\xEF\xBB\xBFlr = 1\n"), (FlatParams{{"lr", 1}}));  // byte order mark
  EXPECT_EQ(Py("a = 1\rb = 2\r"), (FlatParams{{"a", 1}, {"b", 2}}));  // old Mac line ends
  EXPECT_EQ(Py("lr = 1  # no final newline"), (FlatParams{{"lr", 1}}));
}

TEST(ConfigPython, TokenizerErrorsNameLineAndColumn) {
  ExpectError(ParsePythonConfig("a = 1\nb = 'open\n", "cfg.py"), Code::kInvalidArgument, "cfg.py:2:5: unterminated string");
  ExpectError(ParsePythonConfig("a = '''never\nclosed\n", "cfg.py"), Code::kInvalidArgument,
              "cfg.py:1:5: unterminated triple-quoted string");
  ExpectError(ParsePythonConfig("a = [1,\n2\n", "cfg.py"), Code::kInvalidArgument, "cfg.py:1:5: '[' is never closed");
  ExpectError(ParsePythonConfig("a = (1]\n", "cfg.py"), Code::kInvalidArgument, "cfg.py:1:7: ']' does not close '('");
  ExpectError(ParsePythonConfig("a = 1)\n", "cfg.py"), Code::kInvalidArgument, "cfg.py:1:6: unmatched ')'");
}

TEST(ConfigPython, LimitsAreErrors) {
  ExpectError(ParsePythonConfig("x = " + std::string(100, '[') + std::string(100, ']'), "deep.py"), Code::kLimit,
              "deep.py:1: a literal nests deeper than 64");
  std::string many = "x = [";
  for (size_t i = 0; i <= kMaxConfigValues; ++i) many += "0,";
  ExpectError(ParsePythonConfig(many + "]\n", "many.py"), Code::kLimit, "more than 1000000 values");
  std::string full = "x = [";  // the list and its zeros: exactly the limit; a source text is one more
  for (size_t i = 1; i < kMaxConfigValues; ++i) full += "0,";
  ExpectError(ParsePythonConfig(full + "]\ny = f()\n", "full.py"), Code::kLimit, "full.py:2: more than 1000000 values");
  ExpectError(ParsePythonConfig("x = " + std::string(100, '[') + "f()" + std::string(100, ']'), "deep.py"),
              Code::kLimit, "deep.py:1: a literal nests deeper than 64");  // read as a literal until the call
}

TEST(ConfigPython, NumbersDecodeAsPythonReadsThem) {
  EXPECT_EQ(*DecodePyNumber("0o17", false), json(15));
  EXPECT_EQ(*DecodePyNumber("0b101", true), json(-5));
  EXPECT_EQ(*DecodePyNumber("1.", false), json(1.0));
  EXPECT_EQ(*DecodePyNumber(".5e1", false), json(5.0));
  EXPECT_EQ(*DecodePyNumber("9223372036854775808", true), json(INT64_MIN));
  EXPECT_EQ(*DecodePyNumber("18446744073709551615", false), json(18446744073709551615u));
  EXPECT_EQ(*DecodePyNumber("1e400", false), json(INFINITY));
  EXPECT_FALSE(DecodePyNumber("18446744073709551616", false));
  EXPECT_FALSE(DecodePyNumber("2j", false));
  EXPECT_FALSE(DecodePyNumber("007", false));
  EXPECT_EQ(*DecodePyNumber("000", false), json(0));
  EXPECT_FALSE(DecodePyNumber("1e", false));
  EXPECT_FALSE(DecodePyNumber("0x", false));
}

TEST(ConfigPython, StringsThatAreNotLiteralsOrHaveBadEscapes) {
  EXPECT_FALSE(DecodePyString("f'x'"));
  EXPECT_FALSE(DecodePyString("B'x'"));
  EXPECT_FALSE(DecodePyString("'\\N{BULLET}'"));
  EXPECT_FALSE(DecodePyString("'\\x4'"));
  EXPECT_FALSE(DecodePyString("'\\U00110000'"));
  EXPECT_EQ(*DecodePyString("'\\ud800'"), "\xEF\xBF\xBD");  // a lone surrogate
  EXPECT_EQ(*DecodePyString("R'\\x'"), "\\x");
}

TEST(ConfigPython, TokensCarryLinesColumnsAndDepth) {
  auto t = TokenizePython("a = [1,\n  2]  # c\n  b = 'x'\n", "t.py");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 12u);
  EXPECT_EQ((*t)[3].text, "1");
  EXPECT_EQ((*t)[3].depth, 1);
  EXPECT_EQ((*t)[5].line, 2);
  EXPECT_EQ((*t)[6].text, "]");
  EXPECT_EQ((*t)[6].depth, 0);
  EXPECT_EQ((*t)[7].kind, PyTokenKind::kNewline);
  EXPECT_EQ((*t)[8].column, 2);
  EXPECT_EQ((*t)[10].kind, PyTokenKind::kString);
}

}  // namespace
}  // namespace gitmodel
