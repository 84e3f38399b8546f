# SPDX-License-Identifier: GPL-3.0-or-later
# Pins the Python interpreter. `python3` on PATH may be a pyenv build whose
# libpython has the same SONAME as Debian's: the build would succeed and the
# app would then fail with "No module named numpy". Never let FindPython guess.
if(NOT MEMSCOPE_PYTHON)
    if(EXISTS "$ENV{HOME}/.local/share/memscope/venv/bin/python")
        set(MEMSCOPE_PYTHON "$ENV{HOME}/.local/share/memscope/venv/bin/python")
    elseif(EXISTS "/usr/bin/python3")
        set(MEMSCOPE_PYTHON "/usr/bin/python3")
    endif()
    set(MEMSCOPE_PYTHON "${MEMSCOPE_PYTHON}" CACHE FILEPATH "" FORCE)
endif()
set(MEMSCOPE_PYTHON_VERSION "none")
if(MEMSCOPE_PYTHON)
    set(Python_EXECUTABLE "${MEMSCOPE_PYTHON}")
    set(PYBIND11_FINDPYTHON ON)
    # Embed is optional: a GPU machine's pip Python may lack libpython; the
    # extension module then still builds.
    find_package(Python 3.8 COMPONENTS Interpreter Development.Module OPTIONAL_COMPONENTS Development.Embed)
    if(Python_FOUND)
        set(MEMSCOPE_PYTHON_VERSION "${Python_VERSION}")
        # Debian ships pybind11's CMake config; on GPU machines it comes from pip.
        execute_process(COMMAND "${Python_EXECUTABLE}" -c "import pybind11; print(pybind11.get_cmake_dir())"
                        OUTPUT_VARIABLE _pybind11_dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        find_package(pybind11 2.10 CONFIG HINTS "${_pybind11_dir}")
    endif()
endif()
