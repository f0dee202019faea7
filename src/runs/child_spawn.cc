#include "runs/child_spawn.h"

#include <fcntl.h>
#include <spawn.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/core.h>

namespace gitmodel {
namespace {

constexpr std::string_view kPythonUnbuffered = "PYTHONUNBUFFERED";

std::string_view NameOf(std::string_view entry) { return entry.substr(0, entry.find('=')); }

// posix_spawn's two settings objects, destroyed on every path.
struct SpawnSettings {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSettings() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

// A close-on-exec pipe whose ends are above 2, so the child's dup2 onto 1 and 2 cannot clobber
// one with the other even when this process runs with stdout or stderr closed.
Status MakePipe(OwnedFd& read_end, OwnedFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return IOError("cannot create a pipe: {}", std::strerror(errno));
  OwnedFd low_read(fds[0]), low_write(fds[1]);
  read_end.Reset(::fcntl(fds[0], F_DUPFD_CLOEXEC, 3));
  write_end.Reset(::fcntl(fds[1], F_DUPFD_CLOEXEC, 3));
  if (read_end.get() < 0 || write_end.get() < 0) return IOError("cannot create a pipe: {}", std::strerror(errno));
  ::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  return OkStatus();
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (const std::string& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

Result<std::vector<std::string>> ChildEnvironment(char* const* environ_entries,
                                                  const std::vector<std::pair<std::string, std::string>>& set_env) {
  std::vector<std::string> environment;
  for (char* const* entry = environ_entries; entry != nullptr && *entry != nullptr; ++entry) {
    environment.emplace_back(*entry);
  }
  for (const auto& variable : set_env) {
    const std::string& name = variable.first;  // not a structured binding: clang 14 cannot capture those
    const std::string& value = variable.second;
    if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string::npos) {
      return InvalidArgument("invalid environment variable name '{}'", name);
    }
    std::erase_if(environment, [&name](const std::string& entry) { return NameOf(entry) == name; });
    environment.push_back(name + "=" + value);
  }
  const bool python_set = std::any_of(environment.begin(), environment.end(),
                                      [](const std::string& entry) { return NameOf(entry) == kPythonUnbuffered; });
  if (!python_set) environment.push_back(fmt::format("{}=1", kPythonUnbuffered));
  return environment;
}

Result<SpawnedChild> SpawnWithPipes(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                                    const sigset_t& default_signals) {
  SpawnedChild child;
  OwnedFd out_write, err_write;
  GM_RETURN_IF_ERROR(MakePipe(child.out, out_write));
  GM_RETURN_IF_ERROR(MakePipe(child.err, err_write));
  SpawnSettings s;
  posix_spawn_file_actions_adddup2(&s.actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&s.actions, err_write.get(), 2);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &default_signals);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args = CStrings(argv);
  std::vector<char*> env = CStrings(environment);
  child.spawn_errno = ::posix_spawnp(&child.pid, args[0], &s.actions, &s.attr, args.data(), env.data());
  if (child.spawn_errno != 0) child.pid = -1;
  return child;  // the write ends close here: only the child holds them
}

std::string StartErrorMessage(const std::string& program, int spawn_errno) {
  const bool has_slash = program.find('/') != std::string::npos;
  switch (spawn_errno) {
    case ENOENT: return fmt::format("{}: {}", program, has_slash ? "no such file" : "command not found");
    case EACCES: return fmt::format("{}: permission denied", program);
    case ENOEXEC: return fmt::format("{}: not an executable (a script needs a #! line)", program);
    default: return fmt::format("{}: cannot run: {}", program, std::strerror(spawn_errno));
  }
}

}  // namespace gitmodel
