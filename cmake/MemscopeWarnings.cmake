# SPDX-License-Identifier: GPL-3.0-or-later
# memscope_warnings(target): the project's warning set, errors when MEMSCOPE_WERROR.
function(memscope_warnings target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                 -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                 -Wimplicit-fallthrough>)
    if(MEMSCOPE_WERROR)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
    endif()
endfunction()
