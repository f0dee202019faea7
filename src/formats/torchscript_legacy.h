// TorchScript archives of torch 1.0 - 1.3 (model.json + tensors/N): tensors are listed from the
// JSON model description; the code itself is not interpreted.
#pragma once

#include "formats/checkpoint_impl.h"
#include "formats/torch_archive.h"

namespace gitmodel {

Status ReadLegacyTorchScript(Checkpoint::Impl& impl, const TorchArchive& archive, int file_index);

}  // namespace gitmodel
