# SPDX-License-Identifier: GPL-3.0-or-later
# memscope_add_test(NAME <tst_x> SOURCES ... LABELS ... [LIBS ...] [PLAIN])
# Adds a test executable, registers it with ctest under the given labels and
# runs it on the offscreen platform. Qt Test is linked unless PLAIN is given
# (PLAIN tests build on GPU machines without Qt; they exit 77 to skip).
function(memscope_add_test)
    cmake_parse_arguments(T "PLAIN" "NAME;TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    memscope_warnings(${T_NAME})
    target_link_libraries(${T_NAME} PRIVATE ${T_LIBS})
    if(NOT T_PLAIN)
        target_link_libraries(${T_NAME} PRIVATE Qt6::Test)
        # Q_SLOTS etc. only: Python.h uses `slots` as a member name.
        target_compile_definitions(${T_NAME} PRIVATE QT_NO_KEYWORDS)
        set_target_properties(${T_NAME} PROPERTIES AUTOMOC ON)
    endif()
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES
        LABELS "${T_LABELS}"
        TIMEOUT ${T_TIMEOUT}
        SKIP_RETURN_CODE 77
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_QUICK_BACKEND=software")
endfunction()
