// SPDX-License-Identifier: GPL-3.0-or-later
// Shutting down with torch and TensorFlow imported must not crash: the
// interpreter is finalised on its own thread before main() returns, while
// libtorch's and TensorFlow's statics still exist. ctest checks the exit code.

#include "backendharness.h"
#include "engine/runtime.h"

#include <cstdio>

int main()
{
    memscope::engine::RuntimeOptions o;
    o.useCuda = false;
    o.emulatedCapacity = std::size_t {16} << 20;
    memscope::engine::Runtime runtime(o);
    {
        memscope::python::PythonBackend backend(runtime);
        if (const auto error = backend.waitForStart(); !error.empty()) {
            std::fprintf(stderr, "FAIL: %s\n", error.c_str());
            return 1;
        }
        const auto r = memscope::testing::runStatement(
            backend,
            "import numpy as np, torch, tensorflow as tf; x = tf.constant([1.0, 2.0]); "
            "t = torch.ones(3); a = np.asarray(x); print(torch.__version__, tf.__version__)");
        if (r.status == memscope::engine::RunEnd::Status::Error &&
            r.error.find("ModuleNotFoundError") != std::string::npos) {
            std::fprintf(stderr, "SKIP: torch or tensorflow is not installed here: %s\n", r.error.c_str());
            return 77; // ctest: Skipped
        }
        if (r.status != memscope::engine::RunEnd::Status::Ok) {
            std::fprintf(stderr, "FAIL: %s\n", r.error.c_str());
            return 1;
        }
        if (!r.snapshot || r.snapshot->indexOf("x") < 0 || r.snapshot->indexOf("t") < 0) {
            std::fprintf(stderr, "FAIL: the snapshot misses x or t\n");
            return 1;
        }
    } // the backend finalises Python here
    std::printf("PASS: clean shutdown after importing torch and tensorflow\n");
    return 0;
}
