// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Qt-free, CUDA-header-free entry points to the real CUDA backend. Compiled
// only when the CUDA Toolkit is found (MEMSCOPE_HAVE_CUDA).

#include "engine/devicebackend.h"

#include <memory>
#include <string>

namespace memscope::engine::cuda {

struct Probe
{
    int deviceCount = 0;
    int runtimeVersion = 0; ///< e.g. 13000 for CUDA 13.0
    int driverVersion = 0; ///< 0 when no driver is installed
    /// "2 device(s)", or why there are none ("no CUDA driver (error 35: ...)").
    std::string status;
};

/// Asks the CUDA runtime for devices. Every failure (no driver, stub driver,
/// no device) means "no GPU" and is described in `status`; it never throws.
Probe probe();

std::shared_ptr<DeviceBackend> makeDevice(int index);
/// Page-locked host memory (cudaMallocHost): a cpu device whose transfers to
/// and from the GPU run at full bus speed.
std::shared_ptr<DeviceBackend> makePinnedHost();

} // namespace memscope::engine::cuda
