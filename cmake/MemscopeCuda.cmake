# SPDX-License-Identifier: GPL-3.0-or-later
# Decides whether the real CUDA backend is compiled. Sets MEMSCOPE_HAVE_CUDA.
set(MEMSCOPE_HAVE_CUDA OFF)
if(NOT MEMSCOPE_WITH_CUDA STREQUAL "OFF")
    include(CheckLanguage)
    check_language(CUDA)
    if(CMAKE_CUDA_COMPILER)
        # "native" fails at configure time on a machine without a GPU; name the
        # architectures instead (90 = H100/H200, with PTX for newer ones).
        if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
            set(CMAKE_CUDA_ARCHITECTURES "75-real;80-real;86-real;89-real;90")
        endif()
        # CMake 3.25 knows no CUDA20 flags for nvcc; the one .cu file needs only C++17.
        set(CMAKE_CUDA_STANDARD 17)
        set(CMAKE_CUDA_STANDARD_REQUIRED ON)
        enable_language(CUDA)
        find_package(CUDAToolkit REQUIRED)
        set(MEMSCOPE_HAVE_CUDA ON)
    elseif(MEMSCOPE_WITH_CUDA STREQUAL "ON")
        message(FATAL_ERROR "MEMSCOPE_WITH_CUDA=ON but no CUDA compiler (nvcc) was found")
    else()
        message(STATUS "MemScope: no CUDA compiler found; cuda devices will be emulated")
    endif()
endif()
