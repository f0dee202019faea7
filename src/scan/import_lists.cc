// The allowlist and the code-running list. Kept as sorted literal tables so a reviewer can read
// the whole policy in one place; docs/scan.md explains each group.
#include "scan/import_lists.h"

#include <algorithm>
#include <array>

namespace gitmodel::scan_lists {
namespace {

// Exact names. The pickle reader's ConstructorCalls (formats/known_constructors.cc) and
// TorchPickleHooks (formats/torch_pickle.cc) interpret a subset of these as typed data; the rest
// are constructors whose result the reader keeps as an inert object.
constexpr std::string_view kAllowed[] = {
    "_codecs.encode",
    "argparse.Namespace",
    "builtins.bool", "builtins.bytearray", "builtins.bytes", "builtins.complex", "builtins.dict",
    "builtins.float", "builtins.frozenset", "builtins.int", "builtins.list", "builtins.object",
    "builtins.range", "builtins.set", "builtins.slice", "builtins.str", "builtins.tuple",
    "collections.Counter", "collections.OrderedDict", "collections.defaultdict", "collections.deque",
    "_collections.OrderedDict", "_collections.defaultdict", "_collections.deque",
    "copyreg.__newobj__", "copyreg.__newobj_ex__", "copyreg._reconstructor",
    "datetime.date", "datetime.datetime", "datetime.time", "datetime.timedelta", "datetime.timezone",
    "decimal.Decimal", "fractions.Fraction", "uuid.UUID", "types.SimpleNamespace", "typing.Any",
    "typing.Dict", "typing.List", "typing.Optional", "typing.Set", "typing.Tuple", "typing.Union",
    "pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath", "pathlib.PurePosixPath",
    "pathlib.PureWindowsPath", "pathlib.WindowsPath",
    "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar",
    "numpy._core.multiarray._reconstruct", "numpy._core.multiarray.scalar",
    "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
    "numpy.dtype", "numpy.ndarray",
    "numpy.random._pickle.__bit_generator_ctor", "numpy.random._pickle.__generator_ctor",
    "numpy.random._pickle.__randomstate_ctor",
    "torch.Size", "torch.Tensor", "torch.device", "torch.dtype", "torch.finfo", "torch.iinfo",
    "torch._tensor._rebuild_from_type", "torch._tensor._rebuild_from_type_v2",
    "torch.nn.parameter.Parameter", "torch.nn.parameter.Buffer",
    "torch.nn.parameter.UninitializedParameter", "torch.nn.parameter.UninitializedBuffer",
    "torch.serialization._get_layout", "torch.torch_version.TorchVersion",
    "torch.storage.TypedStorage", "torch.storage.UntypedStorage", "torch.storage._TypedStorage",
    "torch.jit._pickle.restore_type_tag",
    "torch.nn.backends.thnn._get_thnn_function_backend",  // torch <= 0.4 modules' _backend
    "omegaconf.base.ContainerMetadata", "omegaconf.base.Metadata", "omegaconf.dictconfig.DictConfig",
    "omegaconf.listconfig.ListConfig", "omegaconf.nodes.AnyNode", "omegaconf.nodes.BooleanNode",
    "omegaconf.nodes.BytesNode", "omegaconf.nodes.EnumNode", "omegaconf.nodes.FloatNode",
    "omegaconf.nodes.IntegerNode", "omegaconf.nodes.PathNode", "omegaconf.nodes.StringNode",
    "pytorch_lightning.utilities.parsing.AttributeDict",
    "lightning.pytorch.utilities.parsing.AttributeDict",
    "lightning.fabric.utilities.data.AttributeDict", "lightning_fabric.utilities.data.AttributeDict",
    "transformers.debug_utils.DebugOption", "transformers.trainer_utils.HubStrategy",
    "transformers.trainer_utils.IntervalStrategy", "transformers.trainer_utils.SaveStrategy",
    "transformers.trainer_utils.SchedulerType", "transformers.training_args.OptimizerNames",
    "accelerate.utils.dataclasses.DistributedType",
};

// torch.<name> values: dtypes, qschemes, layouts, memory formats.
constexpr std::string_view kTorchValues[] = {
    "bfloat16", "bits16", "bits1x8", "bits2x4", "bits4x2", "bits8", "bool", "cdouble", "cfloat",
    "chalf", "complex128", "complex32", "complex64", "double", "float", "float16", "float32",
    "float64", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
    "float8_e8m0fnu", "half", "int", "int16", "int32", "int64", "int8", "long", "qint32", "qint8",
    "quint2x4", "quint4x2", "quint8", "short", "uint16", "uint32", "uint64", "uint8",
    "per_channel_affine", "per_channel_affine_float_qparams", "per_channel_symmetric",
    "per_tensor_affine", "per_tensor_symmetric", "strided", "sparse_coo", "sparse_csr",
    "sparse_csc", "sparse_bsr", "sparse_bsc", "_mkldnn", "contiguous_format", "channels_last",
    "channels_last_3d", "preserve_format",
};

// numpy.<name> scalar types (dtype(numpy.float32) pickles the type).
constexpr std::string_view kNumpyScalarTypes[] = {
    "bool_", "complex128", "complex64", "float16", "float32", "float64", "int16", "int32", "int64",
    "int8", "longlong", "uint16", "uint32", "uint64", "uint8", "ulonglong",
};

struct Prefix {
  std::string_view prefix;  // matches the name itself or anything below it ("os" matches "os.path")
  std::string_view reason;
};

constexpr Prefix kCodeRunning[] = {
    {"builtins", "Python built-in (eval, exec, getattr, __import__, open, ... run code or touch files)"},
    {"os", "operating-system calls (os.system runs shell commands)"},
    {"posix", "operating-system calls (posix.system runs shell commands)"},
    {"nt", "operating-system calls (nt.system runs shell commands)"},
    {"subprocess", "starts processes"}, {"_posixsubprocess", "starts processes"},
    {"pty", "starts processes"}, {"sys", "interpreter state"},
    {"runpy", "runs Python code"}, {"code", "runs Python code"}, {"codeop", "compiles Python code"},
    {"timeit", "runs Python code"}, {"trace", "runs Python code"}, {"profile", "runs Python code"},
    {"cProfile", "runs Python code"}, {"bdb", "runs Python code"}, {"pdb", "runs Python code"},
    {"doctest", "runs Python code"}, {"idlelib", "runs Python code"}, {"lib2to3", "runs Python code"},
    {"pydoc", "imports modules or runs shell commands"}, {"pkgutil", "imports modules"},
    {"importlib", "imports modules"}, {"imp", "imports modules"}, {"zipimport", "imports modules"},
    {"pickle", "nested pickle loads run code"}, {"_pickle", "nested pickle loads run code"},
    {"cPickle", "nested pickle loads run code"}, {"shelve", "nested pickle loads run code"},
    {"marshal", "loads code objects"}, {"types", "builds code and function objects"},
    {"ctypes", "loads native libraries"}, {"_ctypes", "loads native libraries"},
    {"operator.attrgetter", "reaches arbitrary attributes"},
    {"operator.methodcaller", "calls arbitrary methods"},
    {"_operator.attrgetter", "reaches arbitrary attributes"},
    {"_operator.methodcaller", "calls arbitrary methods"},
    {"functools.partial", "calls an arbitrary callable later"},
    {"webbrowser", "opens URLs"}, {"socket", "network access"}, {"_socket", "network access"},
    {"ssl", "network access"}, {"http", "network access"}, {"httplib", "network access"},
    {"urllib", "network access"}, {"urllib2", "network access"}, {"ftplib", "network access"},
    {"smtplib", "network access"}, {"imaplib", "network access or shell commands"},
    {"telnetlib", "network access"}, {"xmlrpc", "network access"}, {"asyncio", "starts processes or connects"},
    {"multiprocessing", "starts processes"}, {"shutil", "file-system changes"},
    {"tempfile", "file-system changes"}, {"io", "file access"}, {"_io", "file access"},
    {"logging", "file access"}, {"venv", "creates environments, runs pip"},
    {"ensurepip", "runs pip"}, {"distutils", "file access or commands"},
    {"_aix_support", "runs shell commands"}, {"_osx_support", "runs shell commands"},
    {"_pyrepl", "runs shell commands or code"}, {"test", "runs Python code"},
    {"uuid._get_command_stdout", "runs shell commands"}, {"commands", "runs shell commands"},
    {"popen2", "runs shell commands"}, {"signal", "process signals"}, {"_thread", "starts threads"},
    {"threading", "starts threads"},
    {"pip", "installs packages"}, {"setuptools", "builds and installs packages"},
    {"pkg_resources", "imports modules"}, {"requests", "network access"}, {"aiohttp", "network access"},
    {"httpx", "network access"}, {"urllib3", "network access"}, {"cloudpickle", "rebuilds code"},
    {"dill", "rebuilds code"}, {"joblib", "nested pickle loads"}, {"yaml", "arbitrary object loads"},
    {"IPython", "runs Python code"}, {"huggingface_hub", "downloads files"},
    {"numpy.f2py", "runs compilers and code"}, {"numpy.testing", "runs Python code"},
    {"numpy.distutils", "runs commands"}, {"numpy.ctypeslib", "loads native libraries"},
    {"numpy.load", "nested pickle loads"}, {"numpy.lib", "file access and nested loads"},
    {"numpy.fromfile", "file access"}, {"numpy.memmap", "file access"}, {"numpy.save", "file access"},
    {"numpy.savez", "file access"}, {"numpy.savetxt", "file access"}, {"numpy.loadtxt", "file access"},
    {"numpy.genfromtxt", "file access"}, {"torch.save", "file access"}, {"torch.from_file", "file access"},
    {"torch.hub", "downloads and runs code"}, {"torch.jit", "compiles and runs TorchScript"},
    {"torch._dynamo", "runs Python code"}, {"torch._inductor", "compiles and runs code"},
    {"torch.fx", "evaluates code"}, {"torch.utils.bottleneck", "runs Python code"},
    {"torch.utils.collect_env", "runs shell commands"}, {"torch.utils.data.datapipes", "runs code"},
    {"torch.utils._config_module", "evaluates config code"}, {"torch.utils.cpp_extension", "compiles code"},
    {"torch.serialization", "nested torch.load"}, {"torch.load", "nested torch.load"},
    {"torch.storage._load_from_bytes", "nested torch.load"}, {"torch.package", "runs packaged code"},
    {"torch.distributed", "network access and remote calls"}, {"torch.testing", "runs code"},
    {"torch.ops", "calls native operators"}, {"torch._ops", "calls native operators"},
    {"torch.classes", "calls native classes"}, {"torch._C", "calls native functions"},
    {"torch.compiler", "compiles code"}, {"torch.export", "runs code"}, {"torch.onnx", "runs code"},
    {"torch.library", "registers native code"}, {"torch.cuda.memory", "native calls"},
};

bool Below(std::string_view dotted, std::string_view prefix) {
  return dotted == prefix || (dotted.starts_with(prefix) && dotted.size() > prefix.size() && dotted[prefix.size()] == '.');
}

std::string_view Rest(std::string_view dotted, std::string_view prefix) {
  return dotted.starts_with(prefix) ? dotted.substr(prefix.size()) : std::string_view();
}

template <size_t N>
bool Contains(const std::string_view (&table)[N], std::string_view s) {
  return std::find(std::begin(table), std::end(table), s) != std::end(table);
}

bool IsClassName(std::string_view part) { return !part.empty() && part[0] >= 'A' && part[0] <= 'Z'; }

// torch.nn.modules.<sub>.<Class> and torch.optim.<sub>.<Class>: classes whose unpickling only
// restores attributes (no custom __setstate__ that runs user code).
bool IsTorchModuleClass(std::string_view dotted) {
  for (std::string_view root : {"torch.nn.modules.", "torch.optim.", "torch.nn.utils.parametrize."}) {
    if (!dotted.starts_with(root)) continue;
    std::string_view last = dotted.substr(dotted.rfind('.') + 1);
    return IsClassName(last);
  }
  return false;
}

bool IsTorchAllowed(std::string_view dotted) {
  if (std::string_view rest = Rest(dotted, "torch._utils._rebuild_"); !rest.empty())
    return rest.find('.') == std::string_view::npos;
  if (std::string_view rest = Rest(dotted, "torch.jit._pickle.build_"); !rest.empty())
    return rest.find('.') == std::string_view::npos;
  for (std::string_view root : {"torch.", "torch.cuda."}) {
    std::string_view rest = Rest(dotted, root);
    if (!rest.empty() && rest.find('.') == std::string_view::npos && rest.ends_with("Storage")) return true;
  }
  if (std::string_view rest = Rest(dotted, "torch."); !rest.empty() && Contains(kTorchValues, rest)) return true;
  return IsTorchModuleClass(dotted);
}

}  // namespace

bool IsAllowlisted(std::string_view dotted) {
  if (Contains(kAllowed, dotted) || IsTorchAllowed(dotted)) return true;
  if (std::string_view rest = Rest(dotted, "numpy."); !rest.empty() && Contains(kNumpyScalarTypes, rest)) return true;
  if (std::string_view rest = Rest(dotted, "numpy.dtypes."); !rest.empty())  // numpy 2: Float32DType...
    return rest.ends_with("DType") && rest.find('.') == std::string_view::npos;
  return false;
}

std::string_view CodeRunningReason(std::string_view dotted) {
  for (const Prefix& p : kCodeRunning)
    if (Below(dotted, p.prefix)) return p.reason;
  return {};
}

bool IsStandardLibrary(std::string_view top) {
  static constexpr std::string_view kStdlib[] = {
#include "scan/stdlib_modules.inc"
  };
  return Contains(kStdlib, top);
}

}  // namespace gitmodel::scan_lists
