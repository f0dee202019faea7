// TOML configs: toml++ parses (it validates UTF-8 and TOML 1.0); the table is converted to JSON
// with depth and value bounds. Dates and times become their TOML text.
#include <exception>
#include <sstream>

#include <toml++/toml.h>

#include "hyperparams/config_internal.h"
#include "hyperparams/toml_parse.h"
#include "hyperparams/config_readers.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

class TomlToJson {
 public:
  explicit TomlToJson(std::string_view name) : name_(name) {}

  Result<json> Convert(const toml::node& n, int depth) {
    if (depth > kMaxConfigDepth)
      return LimitExceeded("{}:{}: nests deeper than {} levels", name_, n.source().begin.line, kMaxConfigDepth);
    if (++values_ > kMaxConfigValues) return LimitExceeded("{}: more than {} values", name_, kMaxConfigValues);
    if (const toml::table* t = n.as_table()) {
      json out = json::object();
      for (const auto& [key, value] : *t) {
        GM_ASSIGN_OR_RETURN(out[Utf8Text(key.str())], Convert(value, depth + 1));
      }
      return out;
    }
    if (const toml::array* a = n.as_array()) {
      json out = json::array();
      for (const toml::node& item : *a) {
        GM_ASSIGN_OR_RETURN(out.emplace_back(), Convert(item, depth + 1));
      }
      return out;
    }
    return Scalar(n);
  }

 private:
  static json Scalar(const toml::node& n) {
    if (const auto* s = n.as_string()) return json(Utf8Text(s->get()));
    if (const auto* i = n.as_integer()) return json(i->get());
    if (const auto* f = n.as_floating_point()) return json(f->get());
    if (const auto* b = n.as_boolean()) return json(b->get());
    std::ostringstream text;  // date, time, date-time: TOML's own notation
    if (const auto* d = n.as_date()) text << *d;
    if (const auto* t = n.as_time()) text << *t;
    if (const auto* dt = n.as_date_time()) text << *dt;
    return json(text.str());
  }

  std::string_view name_;
  size_t values_ = 0;
};

}  // namespace

Result<FlatParams> ParseTomlConfig(std::string_view text, std::string_view name) {
  GM_ASSIGN_OR_RETURN(toml::table table, ParseTomlTable(text, name));
  TomlToJson converter(name);
  GM_ASSIGN_OR_RETURN(json root, converter.Convert(table, 0));
  return FlattenConfigRoot(root, name);
}

}  // namespace gitmodel
