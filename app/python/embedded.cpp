// SPDX-License-Identifier: GPL-3.0-or-later
// The `memscope` module as a built-in of the embedded interpreter. Its engine
// state is installed by PythonBackend after import.
#include "app/python/bindings.h"

#include <pybind11/embed.h>

PYBIND11_EMBEDDED_MODULE(memscope, m)
{
    memscope::python::defineModule(m);
}

namespace memscope::python {
// Referenced by PythonBackend so the linker keeps this file (and the module's
// registration) when linking from a static library.
void linkEmbeddedModule() { }
} // namespace memscope::python
