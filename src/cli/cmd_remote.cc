// git model remote [list] | add NAME URL [--endpoint E] [--region R] [--path-style] [--default]
// [--replace] | remove NAME: where `git model push` and `pull` keep store objects
// (file:///path or s3://bucket/prefix; docs/storage.md, "Remotes").
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "git/config_file.h"
#include "store/model_remotes.h"

namespace gitmodel::cli {
namespace {

struct RemoteArgs {
  ModelRemote remote;
  bool make_default = false, replace = false, json = false;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

int RunList(bool json) {
  auto context = OpenStoreContext();
  if (!context.ok()) return Fail(context.status());
  auto remotes = ListModelRemotes((*context)->repo);
  if (!remotes.ok()) return Fail(remotes.status());
  auto fallback = DefaultModelRemote((*context)->repo);
  const std::string default_name = fallback.ok() && *fallback ? (*fallback)->name : "";
  nlohmann::json doc = nlohmann::json::array();
  for (const ModelRemote& r : *remotes) {
    doc.push_back({{"name", r.name}, {"url", r.url}, {"default", r.name == default_name}});
    if (!r.s3.endpoint.empty()) doc.back()["endpoint"] = r.s3.endpoint;
    if (!r.s3.region.empty()) doc.back()["region"] = r.s3.region;
    if (r.s3.path_style) doc.back()["path_style"] = true;
    if (!json) fmt::print("{}{}\t{}\n", r.name, r.name == default_name ? " (default)" : "", r.url);
  }
  if (json) fmt::print("{}\n", JsonLine({{"remotes", doc}}));
  return kExitOk;
}

int RunAdd(const RemoteArgs& args) {
  auto context = OpenStoreContext();
  if (!context.ok()) return Fail(context.status());
  if (Status added = AddModelRemote((*context)->repo, args.remote, args.replace); !added.ok()) return Fail(added);
  if (args.make_default) {
    auto set = SetConfigValues(RepositoryConfigPath((*context)->repo), {{"git-model.defaultRemote", args.remote.name}});
    if (!set.ok()) return Fail(set.status());
  }
  fmt::print("added git-model remote {} -> {}\n", args.remote.name, args.remote.url);
  return kExitOk;
}

int RunRemove(const std::string& name) {
  auto context = OpenStoreContext();
  if (!context.ok()) return Fail(context.status());
  if (Status removed = RemoveModelRemote((*context)->repo, name); !removed.ok()) return Fail(removed);
  fmt::print("removed git-model remote {}\n", name);
  return kExitOk;
}

}  // namespace

void SetupRemote(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<RemoteArgs>();
  sub.add_flag("--json", args->json, "list: one JSON document");
  sub.callback([&sub, args, exit_code] {
    if (sub.get_subcommands().empty()) *exit_code = RunList(args->json);
  });
  CLI::App* list = sub.add_subcommand("list", "List the git-model remotes (the default one marked)");
  list->add_flag("--json", args->json, "One JSON document");
  list->callback([args, exit_code] { *exit_code = RunList(args->json); });
  CLI::App* add = sub.add_subcommand("add", "Add a remote: file:///path or s3://bucket/prefix");
  add->add_option("name", args->remote.name, "Its name, e.g. origin")->required();
  add->add_option("url", args->remote.url, "file:///abs/path or s3://bucket[/prefix]")->required();
  add->add_option("--endpoint", args->remote.s3.endpoint, "S3: http(s)://host[:port] of an S3-compatible server");
  add->add_option("--region", args->remote.s3.region, "S3: the bucket's region (default: AWS settings, else us-east-1)");
  add->add_flag("--path-style", args->remote.s3.path_style, "S3: bucket in the path, not the host name");
  add->add_flag("--default", args->make_default, "Make it git-model.defaultRemote");
  add->add_flag("--replace", args->replace, "Replace a remote of the same name");
  add->footer("Credentials are never stored here: they come from the AWS environment variables and files.");
  add->callback([args, exit_code] { *exit_code = RunAdd(*args); });
  CLI::App* remove = sub.add_subcommand("remove", "Remove a remote (its objects stay where they are)");
  remove->add_option("name", args->remote.name, "The remote")->required();
  remove->callback([args, exit_code] { *exit_code = RunRemove(args->remote.name); });
}

}  // namespace gitmodel::cli
