// The tables behind ImportPolicy (import_policy.h). Internal to src/scan.
#pragma once

#include <string_view>

namespace gitmodel::scan_lists {

// Known-inert constructors and values: tensor rebuilds, storages, dtypes, collections, numpy
// arrays/scalars/dtypes, argparse.Namespace, pathlib, Lightning/omegaconf containers, enums of
// known modules. `dotted` is canonical (import_policy.h).
bool IsAllowlisted(std::string_view dotted);

// Non-empty when `dotted` lies in a module (or is a name) whose callables can run code, read or
// write files, or reach the network: the reason, e.g. "runs shell commands".
std::string_view CodeRunningReason(std::string_view dotted);

// True when `top` (the first component of a module path) is a Python standard-library module,
// including Python 2 names and private modules (_io, _operator, posix, nt...).
bool IsStandardLibrary(std::string_view top);

}  // namespace gitmodel::scan_lists
