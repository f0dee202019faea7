// git model attest FILE [-o OUT]: an in-toto Statement v1 with a SLSA provenance v1 predicate.
#include <fmt/core.h>

#include "base/atomic_file.h"
#include "cli/command.h"
#include "cli/render.h"
#include "provenance/attestation.h"

namespace gitmodel::cli {
namespace {

struct AttestArgs {
  std::string file;
  std::string out;
};

int RunAttest(const AttestArgs& args) {
  auto statement = AttestCheckpoint(args.file);
  if (!statement.ok()) {
    PrintError(statement.status().message());
    return statement.status().code() == Code::kConflict ? kExitNegative : kExitError;
  }
  std::string text = statement->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (args.out.empty() || args.out == "-") {
    fmt::print("{}", text);
    return kExitOk;
  }
  Status written = WriteFileAtomically(args.out, text);
  if (!written.ok()) {
    PrintError(written.message());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

void SetupAttest(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<AttestArgs>();
  sub.add_option("file", args->file, "A stamped checkpoint")->required();
  sub.add_option("-o,--output", args->out, "Write the statement to this file instead of standard output");
  sub.callback([args, exit_code] { *exit_code = RunAttest(*args); });
}

}  // namespace gitmodel::cli
