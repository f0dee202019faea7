#include "cli/verbatim_args.h"

#include <sys/stat.h>

namespace gitmodel::cli {
namespace {

constexpr char kArguments[] = "arguments";

}  // namespace

// How CLI11 (2.1) then parses: an argument that looks like an option but names none (`-odd.pth`,
// `-h` once the help flag is gone) is kept as an extra; `--` while the positional still wants
// its first value is kept as an extra too; the first plain argument goes to the positional and,
// with positionals_at_end, so does everything after it, dashes or not. So the extras, all of
// which come before the first plain argument, followed by the positional's values are the
// arguments in their order.
void TakeArgumentsVerbatim(CLI::App& sub, const std::string& description) {
  sub.set_help_flag();
  sub.allow_extras();
  sub.positionals_at_end();
  sub.add_option(kArguments, description)->expected(1, CLI::detail::expected_max_vector_size)->allow_extra_args();
}

std::vector<std::string> VerbatimArguments(const CLI::App& sub) {
  std::vector<std::string> args = sub.remaining();
  const CLI::Option* positional = sub.get_option_no_throw(kArguments);
  if (positional != nullptr) args.insert(args.end(), positional->results().begin(), positional->results().end());
  struct stat st {};
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help") && ::stat(args[0].c_str(), &st) != 0)
    throw CLI::CallForHelp();
  return args;
}

}  // namespace gitmodel::cli
