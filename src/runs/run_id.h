// Run ids: "YYYYMMDD-HHMMSS-xxxxxx" (UTC start time, then 6 random hex digits), so ids sort by
// start time, read as a date, and two runs started in the same second on two machines still
// differ. Commands accept any unique prefix (RunIndex::Resolve).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace gitmodel {

std::string NewRunId(std::chrono::system_clock::time_point start);

// True for the shape NewRunId makes: what a records ref path may name (records are untrusted).
bool IsRunId(std::string_view id);

}  // namespace gitmodel
