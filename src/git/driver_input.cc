#include "git/driver_input.h"

namespace gitmodel {
namespace {

void EraseAll(std::string& text, std::string_view needle) {
  if (needle.empty()) return;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at))
    text.erase(at, needle.size());
}

void DropPrefix(std::string& text, std::string_view prefix) {
  if (!prefix.empty() && std::string_view(text).starts_with(prefix)) text.erase(0, prefix.size());
}

}  // namespace

std::string NotCheckpointReason(std::string_view message, std::string_view path) {
  std::string reason(message);
  DropPrefix(reason, std::string(path) + ": ");
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) EraseAll(reason, path.substr(0, slash + 1));
  DropPrefix(reason, "not a checkpoint: ");
  return reason;
}

Result<DriverInput> OpenDriverInput(const std::string& path) {
  DriverInput input;
  GM_ASSIGN_OR_RETURN(input.file, MappedFile::Open(path));
  auto checkpoint = Checkpoint::Open(path);
  if (checkpoint.ok()) input.checkpoint = std::move(*checkpoint);
  else input.not_checkpoint_reason = NotCheckpointReason(checkpoint.status().message(), path);
  return input;
}

}  // namespace gitmodel
