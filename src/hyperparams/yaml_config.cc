// YAML configs: yaml-cpp's event parser feeds a builder that makes the JSON value directly, so
// yaml-cpp never builds its own node graph, aliases are expanded under our value budget (alias
// bombs stop at kMaxConfigValues), and nesting stops at kMaxConfigDepth.
#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "hyperparams/config_internal.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/yaml_scalar.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

// Thrown by the builder to stop yaml-cpp's parser; caught in ParseYamlConfig.
struct BuildError {
  Status status;
};

class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  // The documents' values in order (empty documents are null).
  std::vector<std::pair<int, json>> documents;  // (line, value)

  // yaml-cpp 0.7 never consumes a stray flow indicator at document level (", a"): it reports
  // empty documents at the same place forever. A document starting where the last one did is
  // that loop.
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (mark.pos == last_doc_pos_) {
      const size_t pos = static_cast<size_t>(mark.pos);
      const auto c = static_cast<uint8_t>(mark.pos >= 0 && pos < text_.size() ? text_[pos] : '?');
      Fail(mark, c > 0x20 && c < 0x7f ? fmt::format("unexpected '{}'", static_cast<char>(c))
                                      : fmt::format("unexpected byte 0x{:02x}", c));
    }
    last_doc_pos_ = mark.pos;
    doc_line_ = mark.line + 1;
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Charge(1, mark);
    Deliver(json(nullptr), 1, anchor, mark, "null", false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Charge(1, mark);
    Deliver(ResolveYamlScalar(tag, value), 1, anchor, mark, Utf8Text(value), tag == "?" && value == "<<");
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) Fail(mark, "an alias refers to the node that contains it");
    Charge(it->second.count, mark);
    const json& v = it->second.value;
    std::optional<std::string> key;
    if (!v.is_structured()) key = ParamValueText(v);
    Deliver(v, it->second.count, 0, mark, std::move(key), false);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(json::array(), anchor, mark);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(json::object(), anchor, mark);
  }
  void OnMapEnd() override {
    Frame& f = stack_.back();
    for (auto& [k, v] : f.merged.items())
      if (!f.value.contains(k)) f.value[k] = std::move(v);
    Close();
  }

 private:
  struct Frame {
    json value;
    size_t count = 1;                // values inside, this one included (aliases expanded)
    YAML::anchor_t anchor = 0;
    YAML::Mark mark;
    std::optional<std::string> key;  // a mapping's key awaiting its value
    bool key_is_merge = false;       // the key is a plain `<<`
    json merged = json::object();    // entries from `<<` merges; explicit keys override them
  };
  struct Anchored {
    json value;
    size_t count = 0;
  };

  [[noreturn]] void Fail(const YAML::Mark& mark, std::string_view what) {
    throw BuildError{InvalidArgument("{}:{}: {}", name_, mark.line + 1, what)};
  }

  void Charge(size_t values, const YAML::Mark& mark) {
    if (values > kMaxConfigValues || values_ + values > kMaxConfigValues)
      throw BuildError{LimitExceeded("{}:{}: more than {} values (aliases expanded)", name_, mark.line + 1,
                                     kMaxConfigValues)};
    values_ += values;
  }

  void Open(json empty, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().key)
      Fail(mark, "a mapping key is a list or mapping; only scalar keys are supported");
    if (stack_.size() >= static_cast<size_t>(kMaxConfigDepth))
      throw BuildError{LimitExceeded("{}:{}: nests deeper than {} levels", name_, mark.line + 1, kMaxConfigDepth)};
    Charge(1, mark);
    Frame& f = stack_.emplace_back();
    f.value = std::move(empty);
    f.anchor = anchor;
    f.mark = mark;
  }

  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Deliver(std::move(f.value), f.count, f.anchor, f.mark, std::nullopt, false);
  }

  // Hands a finished value to its parent (or makes it the document), remembering anchors.
  void Deliver(json v, size_t count, YAML::anchor_t anchor, const YAML::Mark& mark,
               std::optional<std::string> key_text, bool is_merge_key) {
    if (anchor != 0) {
      Charge(count, mark);  // the stored copy costs as much memory as the value
      anchors_[anchor] = Anchored{v, count};
    }
    if (stack_.empty()) {
      documents.emplace_back(doc_line_, std::move(v));
      return;
    }
    Frame& f = stack_.back();
    f.count += count;
    if (f.value.is_array()) return f.value.push_back(std::move(v));
    if (!f.key) {
      if (!key_text) Fail(mark, "a mapping key is a list or mapping; only scalar keys are supported");
      f.key = std::move(key_text);
      f.key_is_merge = is_merge_key;
      return;
    }
    if (f.key_is_merge) {
      Merge(f, v, mark);
    } else {
      f.value[*f.key] = std::move(v);  // a duplicate key keeps the last value, as PyYAML does
    }
    f.key.reset();
  }

  // `<<: *base` or `<<: [*a, *b]`: earlier mappings win over later ones.
  void Merge(Frame& f, const json& v, const YAML::Mark& mark) {
    const bool list_of_maps =
        v.is_array() && std::all_of(v.begin(), v.end(), [](const json& m) { return m.is_object(); });
    if (!v.is_object() && !list_of_maps) Fail(mark, "the merge key '<<' needs a mapping or a list of mappings");
    for (const json& m : v.is_object() ? json::array({v}) : v)
      for (const auto& [k, item] : m.items())
        if (!f.merged.contains(k)) f.merged[k] = item;
  }

  std::string_view text_;
  std::string_view name_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  size_t values_ = 0;
  int doc_line_ = 1;
  int last_doc_pos_ = -1;
};

std::string OneLine(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

Result<json> SingleDocument(std::vector<std::pair<int, json>>& documents, std::string_view name) {
  std::optional<json> found;
  for (auto& [line, value] : documents) {
    if (value.is_null()) continue;
    if (found) return InvalidArgument("{}:{}: a second YAML document; configs must be a single document", name, line);
    found = std::move(value);
  }
  return found ? std::move(*found) : json(nullptr);
}

}  // namespace

Result<FlatParams> ParseYamlConfig(std::string_view text, std::string_view name) {
  if (text.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", name, text.size(), kMaxConfigBytes);
  JsonBuilder builder(text, name);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const BuildError& e) {
    return e.status;
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return InvalidArgument("{}: {}", name, OneLine(e.msg));
    // yaml-cpp knows the column of a syntax error: "<name>:<line>:<column>: ..." (1-based).
    return InvalidArgument("{}:{}:{}: {}", name, e.mark.line + 1, e.mark.column + 1, OneLine(e.msg));
  } catch (const std::exception& e) {
    return InvalidArgument("{}: {}", name, OneLine(e.what()));
  }
  GM_ASSIGN_OR_RETURN(json root, SingleDocument(builder.documents, name));
  return FlattenConfigRoot(root, name);
}

}  // namespace gitmodel
