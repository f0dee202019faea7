// Which runs `git model runs` lists (docs/runs.md): `--where` filters, `--sort` and `--limit`.
//
//   --where 'val_acc>0.8'        a metric's last value (any key not named below)
//   --where 'params.lr<=0.01'    a hyperparameter: numbers compare as numbers, else =/!= as text
//   --where 'tags.team=vision'   a tag (text, = or !=)
//   --where 'status=failed'      a run field: status, name, branch, commit (a prefix), id (a prefix)
//   --sort -val_acc              descending; keys as for --where, plus start, end, wall
//
// Operators: <, <=, >, >=, = (also ==), !=. Several --where must all hold. Runs without the key
// never match a filter and sort last.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

enum class RunKeyKind { kMetric, kParam, kTag, kField };

struct RunKey {
  RunKeyKind kind = RunKeyKind::kMetric;
  std::string name;  // the metric, parameter or tag name, or the runs column for kField
};

struct RunFilter {
  RunKey key;
  std::string op;                // "<", "<=", ">", ">=", "=", "!="
  std::string text;              // the value as written
  std::optional<double> number;  // when it reads as a number
};

struct RunSort {
  RunKey key;
  bool descending = false;
};

struct RunQuery {
  std::vector<RunFilter> filters;
  std::optional<RunSort> sort;  // default: newest first
  uint64_t limit = 0;           // 0: all
};

// kInvalidArgument, one line naming the text and what is expected.
Result<RunFilter> ParseRunFilter(std::string_view text);
Result<RunSort> ParseRunSort(std::string_view text);

// The SQL of a listing over the index (index_db.cc) and its parameters, in order. It selects
// runs.id and the columns of RunIndex's rows.
struct RunListSql {
  std::string sql;
  std::vector<std::variant<std::string, double, int64_t>> parameters;
};
RunListSql BuildRunListSql(const RunQuery& query, std::string_view columns);

}  // namespace gitmodel
