// Text pieces the Markdown and HTML renderings of a change report share: dates, ids, numbers,
// HTML escaping. Plain text unless named otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "report/change_report.h"

namespace gitmodel {

// The first 7 characters of a commit id (the whole id when shorter).
std::string ShortId(std::string_view id);

// "2026-11-20": the commit's author date in the author's zone.
std::string CommitDay(const ReportCommit& commit);
// "2026-11-20T10:00:00+01:00": the author date in the author's zone.
std::string CommitRfc3339(const ReportCommit& commit);
// "2026-11-20" and "2026-11-20T09:00:00Z": seconds since the epoch in UTC.
std::string UtcDay(int64_t seconds);
std::string UtcRfc3339(int64_t seconds);

// "2026-11-13 to 2026-11-20", "since 2026-11-13", "until 2026-11-20", or "" without bounds.
std::string PeriodText(const ReportSummary& summary);
// A value as %.6g writes it; non-finite ones as "NaN", "inf", "-inf".
std::string NumberText(double value);
// "1,234,567".
std::string CountText(uint64_t count);
// "0.9 -> 0.5 (-0.4, -44.4%)": the delta only when finite, the percentage only when `from` is a
// finite non-zero value.
std::string ValueChangeText(double from, double to);
// "1,234 -> 2,345 (+1,111, +90.0%)"; "(no change)" when equal; no percentage from 0.
std::string ParametersText(uint64_t before, uint64_t after);
// "higher is better" or "lower is better".
std::string_view DirectionText(bool higher_is_better);

// `text` with & < > " ' as character references: safe in HTML text and quoted attributes.
std::string HtmlEscape(std::string_view text);

}  // namespace gitmodel
