#include "base/json_document.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(JsonDocumentTest, ParsesValidDocuments) {
  auto doc = ParseJsonDocument(R"({"a": [1, 2, {"b": null}]})", "test");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ((*doc)["a"][1], 2);
}

TEST(JsonDocumentTest, RefusesSyntaxErrorsAndBadUtf8) {
  EXPECT_EQ(ParseJsonDocument("{\"a\": }", "test").status().code(), Code::kCorrupt);
  EXPECT_EQ(ParseJsonDocument("\"\xff\"", "test").status().code(), Code::kCorrupt);
  EXPECT_EQ(ParseJsonDocument("{} trailing", "test").status().code(), Code::kCorrupt);
}

TEST(JsonDocumentTest, RefusesDeepNestingWithoutRecursing) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto doc = ParseJsonDocument(deep, "deep.json");
  EXPECT_EQ(doc.status().code(), Code::kLimit);
  EXPECT_NE(doc.status().message().find("deep.json"), std::string::npos);
  EXPECT_TRUE(ParseJsonDocument(std::string(64, '[') + std::string(64, ']'), "ok").ok());
}

}  // namespace
}  // namespace gitmodel
