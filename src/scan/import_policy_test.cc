#include "scan/import_policy.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

ImportVerdict V(const ImportPolicy& p, std::string_view m, std::string_view n) { return p.Judge(m, n).verdict; }

TEST(ImportPolicyTest, AllowlistedConstructorsAreData) {
  ImportPolicy p;
  for (auto [m, n] : {std::pair{"torch._utils", "_rebuild_tensor_v2"}, {"torch", "FloatStorage"}, {"torch", "bfloat16"},
                      {"collections", "OrderedDict"}, {"__builtin__", "set"}, {"numpy.core.multiarray", "_reconstruct"},
                      {"argparse", "Namespace"}, {"pathlib", "PosixPath"}, {"omegaconf.dictconfig", "DictConfig"},
                      {"torch.nn.modules.linear", "Linear"}, {"copy_reg", "_reconstructor"}})
    EXPECT_EQ(V(p, m, n), ImportVerdict::kSafe) << m << "." << n;
}

// Every constructor the checkpoint reader interprets as data (formats/known_constructors.cc,
// formats/torch_pickle.cc) must be data for the scanner too.
TEST(ImportPolicyTest, ReaderConstructorsAreAllowlisted) {
  ImportPolicy p;
  for (auto [m, n] : {std::pair{"builtins", "set"}, {"builtins", "frozenset"}, {"builtins", "complex"},
                      {"builtins", "bytearray"}, {"collections", "OrderedDict"}, {"collections", "defaultdict"},
                      {"collections", "Counter"}, {"numpy.core.multiarray", "scalar"}, {"numpy._core.multiarray", "scalar"},
                      {"numpy", "dtype"}, {"torch", "Size"}, {"torch", "device"}, {"torch.torch_version", "TorchVersion"},
                      {"torch.serialization", "_get_layout"}, {"torch.jit._pickle", "build_intlist"},
                      {"torch.jit._pickle", "restore_type_tag"}, {"_codecs", "encode"}, {"pathlib", "WindowsPath"},
                      {"torch._utils", "_rebuild_tensor"}, {"torch._utils", "_rebuild_qtensor"},
                      {"torch._utils", "_rebuild_meta_tensor_no_storage"}, {"torch._utils", "_rebuild_parameter_with_state"},
                      {"torch.nn.parameter", "Parameter"}, {"torch._tensor", "_rebuild_from_type_v2"},
                      {"torch", "HalfStorage"}, {"torch.cuda", "FloatStorage"}, {"torch", "float8_e4m3fn"}})
    EXPECT_EQ(V(p, m, n), ImportVerdict::kSafe) << m << "." << n;
}

TEST(ImportPolicyTest, CodeRunningNamesAreCritical) {
  ImportPolicy p;
  for (auto [m, n] : {std::pair{"os", "system"}, {"posix", "system"}, {"nt", "system"}, {"builtins", "eval"},
                      {"__builtin__", "exec"}, {"builtins", "__import__"}, {"runpy", "_run_code"}, {"pickle", "loads"},
                      {"_pickle", "loads"}, {"marshal", "loads"}, {"ctypes", "CDLL"}, {"importlib", "import_module"},
                      {"webbrowser", "open"}, {"socket", "create_connection"}, {"bdb", "Bdb.run"},
                      {"torch.utils.collect_env", "run"}, {"numpy.f2py.crackfortran", "getlincoef"},
                      {"requests.api", "get"}, {"os.path", "join"}, {"venv", "create"}, {"functools", "partial"},
                      {"mypkg", "Model.from_code"}})
    EXPECT_EQ(V(p, m, n), ImportVerdict::kCritical) << m << "." << n;
}

TEST(ImportPolicyTest, ProjectClassesAreUnknownUntilAllowed) {
  ImportPolicy p;
  EXPECT_EQ(V(p, "mypkg.models", "Net"), ImportVerdict::kUnknown);
  EXPECT_EQ(V(p, "argparse", "ArgumentParser"), ImportVerdict::kCritical);  // stdlib outside the allowlist
  p.Allow("mypkg.models.Net");
  p.Allow("argparse.ArgumentParser");
  p.Allow("os.system");
  EXPECT_EQ(V(p, "mypkg.models", "Net"), ImportVerdict::kSafe);
  EXPECT_EQ(V(p, "argparse", "ArgumentParser"), ImportVerdict::kSafe);
  EXPECT_EQ(V(p, "os", "system"), ImportVerdict::kCritical);  // never allowable
}

TEST(ImportPolicyTest, InvalidNamesCannotBeImported) {
  ImportPolicy p;
  EXPECT_EQ(V(p, "lass Foo(Module):", "x"), ImportVerdict::kUnknown);
  EXPECT_FALSE(IsDottedIdentifier("a..b"));
  EXPECT_TRUE(IsDottedIdentifier("torch._utils"));
}

}  // namespace
}  // namespace gitmodel
