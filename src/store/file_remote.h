// A directory as a Remote (`file:///abs/path`, e.g. a shared mount): object `id` is the file
// `<root>/objects/ab/cd/<64 hex>`, read-only, written by temp file + fsync + rename so readers
// never see a partial object. Directories are created as needed.
#pragma once

#include <string>
#include <string_view>

#include "gitmodel/status.h"
#include "store/remote.h"

namespace gitmodel {

// "file:///abs/path" or "file://localhost/abs/path" -> "/abs/path" (%XX escapes decoded, trailing
// '/' dropped). kInvalidArgument for relative paths, other hosts and bad escapes.
Result<std::string> ParseFileUrl(std::string_view url);

class FileRemote final : public Remote {
 public:
  FileRemote(std::string url, std::string root) : url_(std::move(url)), root_(std::move(root)) {}

  Result<bool> Has(const ObjectId& id) override;
  Status Put(const ObjectId& id, const std::string& local_path) override;
  Status Get(const ObjectId& id, const std::string& dest_path) override;
  std::string Describe() const override { return url_; }

  std::string ObjectPath(const ObjectId& id) const;

 private:
  std::string url_;
  std::string root_;
};

}  // namespace gitmodel
