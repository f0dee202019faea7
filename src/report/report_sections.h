// The sections of a change report, in the order every format writes them: the id HTML and JSON
// use, the heading Markdown and HTML show, and the line written when the section has nothing to
// show (a section never disappears, so a reader knows it was checked).
#pragma once

#include <string_view>

namespace gitmodel {

struct ReportSection {
  std::string_view id;
  std::string_view title;
  std::string_view empty_text;
};

inline constexpr ReportSection kSummarySection{"summary", "Summary", "No commits in this period."};
inline constexpr ReportSection kFeaturesSection{"features", "Features", "No commits in this period."};
inline constexpr ReportSection kArchitectureSection{"architecture", "Architecture changes",
                                                    "No checkpoint architecture changes in this period."};
inline constexpr ReportSection kHyperparamsSection{"hyperparams", "Hyperparameter changes",
                                                   "No hyperparameter changes in this period."};
inline constexpr ReportSection kPerformanceSection{"performance", "Performance",
                                                   "No metrics recorded at this period's commits."};
inline constexpr ReportSection kEnvironmentSection{"environment", "Environment",
                                                   "No run environments recorded in this period."};
inline constexpr ReportSection kChurnSection{"churn", "File churn", "No files changed in this period."};

// Environment fields were recorded but none took a second value.
inline constexpr std::string_view kNoEnvironmentChanges = "No environment changes in this period.";

}  // namespace gitmodel
