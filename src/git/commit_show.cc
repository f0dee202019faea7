#include "git/commit_show.h"

#include <cctype>
#include <ctime>

#include "git/git_handles.h"
#include "git/revision.h"

namespace gitmodel {
namespace {

// git's default date format: "Thu Apr 7 15:13:13 2005 -0700", in the signature's own zone.
std::string GitDate(const git_time& when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t local = static_cast<time_t>(when.time + int64_t{when.offset} * 60);
  std::tm tm{};
  gmtime_r(&local, &tm);
  int offset = when.offset < 0 ? -when.offset : when.offset;
  char sign = when.offset < 0 || when.sign == '-' ? '-' : '+';
  return fmt::format("{} {} {} {:02}:{:02}:{:02} {} {}{:02}{:02}", kDays[tm.tm_wday], kMonths[tm.tm_mon],
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900, sign, offset / 60,
                     offset % 60);
}

// The message with leading blank lines and trailing whitespace dropped, each line indented by 4.
std::string IndentedMessage(std::string_view message) {
  while (!message.empty() && message.front() == '\n') message.remove_prefix(1);
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) message.remove_suffix(1);
  std::string out;
  while (!message.empty()) {
    size_t end = message.find('\n');
    out += "    ";
    out += message.substr(0, end);
    out += '\n';
    message.remove_prefix(end == std::string_view::npos ? message.size() : end + 1);
  }
  return out;
}

std::string Header(const git_commit* commit) {
  std::string out = fmt::format("commit {}\n", OidHex(*git_commit_id(commit)));
  if (git_commit_parentcount(commit) > 1) {
    out += "Merge:";
    for (unsigned i = 0; i < git_commit_parentcount(commit); ++i) {
      out += " " + OidHex(*git_commit_parent_id(commit, i)).substr(0, 7);
    }
    out += "\n";
  }
  const git_signature* author = git_commit_author(commit);
  out += fmt::format("Author: {} <{}>\nDate:   {}\n\n", author->name, author->email, GitDate(author->when));
  return out + IndentedMessage(git_commit_message_raw(commit));
}

// The first parent's tree, or null (the empty tree) for a root commit or a shallow boundary.
Result<GitTreePtr> ParentTree(git_repository* repo, const git_commit* commit) {
  if (git_commit_parentcount(commit) == 0) return GitTreePtr();
  git_commit* raw = nullptr;
  int error = git_commit_parent(&raw, commit, 0);
  if (error == GIT_ENOTFOUND && git_repository_is_shallow(repo) == 1) return GitTreePtr();
  if (error < 0) return GitError(error, fmt::format("reading the parent of {}", OidHex(*git_commit_id(commit))));
  GitCommitPtr parent(raw);
  return TreeOf(parent.get());
}

Result<std::string> CommitPatch(git_repository* repo, const git_commit* commit) {
  GM_ASSIGN_OR_RETURN(GitTreePtr old_tree, ParentTree(repo, commit));
  GM_ASSIGN_OR_RETURN(GitTreePtr new_tree, TreeOf(commit));
  git_diff* raw = nullptr;
  int error = git_diff_tree_to_tree(&raw, repo, old_tree.get(), new_tree.get(), nullptr);
  if (error < 0) return GitError(error, "comparing the commit with its parent");
  GitDiffPtr diff(raw);
  error = git_diff_find_similar(diff.get(), nullptr);
  if (error < 0) return GitError(error, "detecting renames");
  GitBuf text;
  error = git_diff_to_buf(text.get(), diff.get(), GIT_DIFF_FORMAT_PATCH);
  if (error < 0) return GitError(error, "printing the commit's patch");
  return std::string(text.view());
}

}  // namespace

Result<std::string> ShowCommit(const GitRepo& repo, std::string_view commit) {
  GM_ASSIGN_OR_RETURN(auto found, FindCommit(repo.get(), commit));
  if (!found) return NotFound("no commit '{}' in {}", commit, WorkdirOf(repo));
  GM_ASSIGN_OR_RETURN(std::string patch, CommitPatch(repo.get(), found->get()));
  std::string text = Header(found->get());
  if (!patch.empty()) text += "\n" + patch;
  return text;
}

Result<bool> CommitExists(const GitRepo& repo, std::string_view commit) {
  GM_ASSIGN_OR_RETURN(auto found, FindCommit(repo.get(), commit));
  return found.has_value();
}

}  // namespace gitmodel
