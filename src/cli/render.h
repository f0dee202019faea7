// Small text-rendering helpers shared by the command front ends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gitmodel::cli {

std::string HumanBytes(uint64_t bytes);     // "44.6 MiB"
std::string Thousands(uint64_t n);          // "11,689,512"
std::string HumanCount(uint64_t n);         // "11.7M"
// "1 tensor", "1,024 tensors" (English plural by appending "s").
std::string CountOf(uint64_t n, std::string_view noun);

// Left-aligned columns separated by two spaces; the last column is not padded.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

// One compact line of JSON; invalid UTF-8 in strings is replaced, never an exception.
std::string JsonLine(const nlohmann::json& j);

// "git-model: <message>" on stderr.
void PrintError(std::string_view message);

}  // namespace gitmodel::cli
