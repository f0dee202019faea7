#include "runs/run_query.h"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace gitmodel {
namespace {

struct FieldColumn {
  std::string_view name;
  std::string_view column;
  bool prefix;  // = matches a prefix (ids)
};

constexpr std::array<FieldColumn, 5> kFilterFields = {{
    {"status", "runs.status", false},
    {"name", "runs.name", false},
    {"branch", "runs.branch", false},
    {"commit", "runs.commit_id", true},
    {"id", "runs.id", true},
}};

constexpr std::array<FieldColumn, 5> kSortFields = {{
    {"start", "runs.start", false},
    {"end", "runs.end", false},
    {"wall", "runs.wall_seconds", false},
    {"name", "runs.name", false},
    {"status", "runs.status", false},
}};

template <size_t N>
const FieldColumn* FindField(const std::array<FieldColumn, N>& fields, std::string_view name) {
  for (const FieldColumn& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::optional<double> AsNumber(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Result<RunKey> ParseKey(std::string_view text, bool sorting) {
  if (text.empty()) return InvalidArgument("an empty key (expected a metric, params.NAME, tags.NAME or a run field)");
  for (auto [prefix, kind] : {std::pair{"params.", RunKeyKind::kParam}, {"tags.", RunKeyKind::kTag}}) {
    if (text.starts_with(prefix)) {
      if (text.size() == std::string_view(prefix).size()) return InvalidArgument("'{}' names no {}", text, prefix);
      return RunKey{kind, std::string(text.substr(std::string_view(prefix).size()))};
    }
  }
  const bool field = sorting ? FindField(kSortFields, text) != nullptr : FindField(kFilterFields, text) != nullptr;
  return RunKey{field ? RunKeyKind::kField : RunKeyKind::kMetric, std::string(text)};
}

// Finds the operator: the first of <, >, =, ! in the text, with the = that may follow.
Result<RunFilter> SplitFilter(std::string_view text) {
  const size_t at = text.find_first_of("<>=!");
  if (at == std::string_view::npos) {
    return InvalidArgument("--where '{}': expected KEY OP VALUE with OP one of < <= > >= = !=", text);
  }
  size_t length = at + 1 < text.size() && text[at + 1] == '=' ? 2 : 1;
  std::string op(text.substr(at, length));
  if (op == "!") return InvalidArgument("--where '{}': '!' must be '!='", text);
  if (op == "==") op = "=";
  RunFilter filter;
  filter.op = op;
  filter.text = std::string(text.substr(at + length));
  GM_ASSIGN_OR_RETURN(filter.key, ParseKey(text.substr(0, at), false));
  filter.number = AsNumber(filter.text);
  return filter;
}

template <typename... Values>
void Append(std::vector<std::variant<std::string, double, int64_t>>& parameters, const Values&... values) {
  (parameters.emplace_back(values), ...);
}

// One filter's SQL condition, its parameters appended to `out`.
std::string FilterSql(const RunFilter& f, RunListSql& out) {
  auto& p = out.parameters;
  switch (f.key.kind) {
    case RunKeyKind::kMetric:
      Append(p, f.key.name, *f.number);
      return fmt::format("EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = runs.id AND m.key = ? AND m.last {} ?)",
                         f.op);
    case RunKeyKind::kParam:
      if (f.number) {
        Append(p, f.key.name, *f.number);
        return fmt::format(
            "EXISTS (SELECT 1 FROM run_params q WHERE q.run_id = runs.id AND q.key = ? AND q.number {} ?)", f.op);
      }
      Append(p, f.key.name, nlohmann::json(f.text).dump(), f.text);
      return fmt::format("EXISTS (SELECT 1 FROM run_params q WHERE q.run_id = runs.id AND q.key = ? AND "
                         "(q.value {0} ? {1} q.value {0} ?))", f.op, f.op == "=" ? "OR" : "AND");
    case RunKeyKind::kTag:
      Append(p, f.key.name, f.text);
      return fmt::format("EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = runs.id AND t.key = ? AND t.value {} ?)",
                         f.op);
    case RunKeyKind::kField:
      break;
  }
  const FieldColumn* field = FindField(kFilterFields, f.key.name);
  if (field->prefix) {
    Append(p, f.text, f.text);
    return fmt::format("{}(substr({}, 1, length(?)) = ?)", f.op == "!=" ? "NOT " : "", field->column);
  }
  p.push_back(f.text);
  return fmt::format("{} {} ?", field->column, f.op);
}

}  // namespace

Result<RunFilter> ParseRunFilter(std::string_view text) {
  GM_ASSIGN_OR_RETURN(RunFilter filter, SplitFilter(text));
  if (filter.key.kind == RunKeyKind::kMetric && !filter.number) {
    return InvalidArgument("--where '{}': metric {} compares with a number, not '{}'", text, filter.key.name,
                           filter.text);
  }
  const bool text_value = filter.key.kind == RunKeyKind::kTag || filter.key.kind == RunKeyKind::kField ||
                          (filter.key.kind == RunKeyKind::kParam && !filter.number);
  if (text_value && filter.op != "=" && filter.op != "!=") {
    return InvalidArgument("--where '{}': text values compare with = or != only", text);
  }
  return filter;
}

Result<RunSort> ParseRunSort(std::string_view text) {
  RunSort sort;
  if (text.starts_with('-')) {
    sort.descending = true;
    text.remove_prefix(1);
  } else if (text.starts_with('+')) {
    text.remove_prefix(1);
  }
  GM_ASSIGN_OR_RETURN(sort.key, ParseKey(text, true));
  if (sort.key.kind == RunKeyKind::kTag) return InvalidArgument("--sort {}: tags do not sort; sort by a metric, params.NAME or a run field", text);
  return sort;
}

RunListSql BuildRunListSql(const RunQuery& query, std::string_view columns) {
  RunListSql out;
  std::string join;
  std::string order = "runs.start DESC, runs.id DESC";
  if (query.sort) {
    const RunSort& s = *query.sort;
    const char* direction = s.descending ? "DESC" : "ASC";
    std::string sorted;
    if (s.key.kind == RunKeyKind::kMetric) {
      join = " LEFT JOIN run_metrics sorted ON sorted.run_id = runs.id AND sorted.key = ?";
      out.parameters.push_back(s.key.name);
      sorted = "sorted.last";
    } else if (s.key.kind == RunKeyKind::kParam) {
      join = " LEFT JOIN run_params sorted ON sorted.run_id = runs.id AND sorted.key = ?";
      out.parameters.push_back(s.key.name);
      sorted = "coalesce(sorted.number, sorted.value)";
    } else {
      sorted = std::string(FindField(kSortFields, s.key.name)->column);
    }
    order = fmt::format("{} {} NULLS LAST, {}", sorted, direction, order);
  }
  std::string where;
  for (const RunFilter& f : query.filters) where += (where.empty() ? " WHERE " : " AND ") + FilterSql(f, out);
  out.sql = fmt::format("SELECT {} FROM runs{}{} ORDER BY {}", columns, join, where, order);
  if (query.limit) {
    out.sql += " LIMIT ?";
    out.parameters.push_back(static_cast<int64_t>(query.limit));
  }
  return out;
}

}  // namespace gitmodel
