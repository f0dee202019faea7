#include "git/remote_url.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

struct Case {
  const char* in;
  const char* out;
};

TEST(GitRemoteUrl, StripsSecretsAndKeepsEverythingElse) {
  const Case cases[] = {
      {"https://user:token@host/x", "https://host/x"},
      {"https://oauth2:glpat-xyz@gitlab.com/a/b.git", "https://gitlab.com/a/b.git"},
      {"https://ghp_token@github.com/a/b", "https://github.com/a/b"},
      {"http://u:p@[::1]:8080/r", "http://[::1]:8080/r"},
      {"HTTPS://U:P@Host.example/r", "HTTPS://Host.example/r"},
      {"https://host/a/b.git?private_token=abc", "https://host/a/b.git"},
      {"https://host/a?token=x#frag", "https://host/a#frag"},
      {"https://u:p@host?x=1", "https://host"},
      {"https://host", "https://host"},
      {"https://github.com/a/b.git", "https://github.com/a/b.git"},
      {"https://us%40er:p%3Aw@host/r", "https://host/r"},
      {"https://a@b:c@host/r", "https://host/r"},  // an unescaped '@' in the password
      {"ftp://user:pw@ftp.example.org/pub", "ftp://ftp.example.org/pub"},
      {"s3://AKIA:secret@bucket/prefix", "s3://bucket/prefix"},
      {"ssh://git@host/x", "ssh://git@host/x"},
      {"ssh://git:hunter2@host:2222/x.git", "ssh://git@host:2222/x.git"},
      {"git+ssh://me:pw@host/x?y=1", "git+ssh://me@host/x?y=1"},
      {"git://host/x.git", "git://host/x.git"},
      {"file:///x", "file:///x"},
      {"file:///srv/repos/a@b:c", "file:///srv/repos/a@b:c"},
      {"/local/path", "/local/path"},
      {"/local/user:pw@host:x", "/local/user:pw@host:x"},
      {"../rel/path", "../rel/path"},
      {"git@github.com:a/b.git", "git@github.com:a/b.git"},
      {"git:secret@github.com:a/b.git", "git@github.com:a/b.git"},
      {"github.com:a/b.git", "github.com:a/b.git"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(StripCredentials(c.in), c.out) << "input: " << c.in;
}

}  // namespace
}  // namespace gitmodel
