// Remote URLs without secrets, for recording in provenance.
#pragma once

#include <string>
#include <string_view>

namespace gitmodel {

// `url` with credentials removed:
// - URLs with a scheme (`scheme://[userinfo@]host/...`): for ssh (`ssh`, `git+ssh`, `ssh+git`)
//   the user name is kept (it is not a secret: `ssh://git@host/x`) and any `:password` dropped;
//   for every other scheme (http, https, ftp, s3, ...) the whole userinfo is dropped, because a
//   token is often passed as the user name (`https://ghp_xxx@github.com/a/b`).
// - http(s) URLs also lose their query string (`?private_token=...`); a `#fragment` is kept.
// - scp-like `[user[:password]@]host:path`: the user is kept, a password dropped.
// - Local paths and `file://` URLs are returned unchanged.
// Never fails: text that is not a URL is returned as given.
std::string StripCredentials(std::string_view url);

}  // namespace gitmodel
