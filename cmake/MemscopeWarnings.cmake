# SPDX-License-Identifier: GPL-3.0-or-later
# memscope_warnings(target): the project's warning set, errors when MEMSCOPE_WERROR.
function(memscope_warnings target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                 -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                 -Wimplicit-fallthrough>)
    # GCC 12 at -O3 reports impossible overlaps inside std::string's operator+
    # (GCC bug 105651, fixed in GCC 13): a false positive, not our code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
    endif()
    if(MEMSCOPE_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
endfunction()
