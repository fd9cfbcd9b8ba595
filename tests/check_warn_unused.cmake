# Every function named in SRC's NAMES line carries warn_unused_result: the file
# compiles with each result used (CASE=0) and fails to compile when call n
# ignores its result (CASE=n), under -Werror=unused-result.
include(${CMAKE_CURRENT_LIST_DIR}/check_report.cmake)
file(STRINGS ${SRC} names_line REGEX "^/\\* NAMES: ")
string(REGEX REPLACE "^/\\* NAMES: (.*) \\*/$" "\\1" names "${names_line}")
separate_arguments(names UNIX_COMMAND "${names}")
# -fsyntax-only would skip the gcc pass that reports an ignored result: compile.
set(OUT ${CMAKE_CURRENT_BINARY_DIR}/ignores_results.o)
set(flags -std=c11 -c -o ${OUT} -Wall -Werror -Werror=unused-result -I${INC})
execute_process(COMMAND ${CC} ${flags} -DCASE=0 ${SRC} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${SRC} with every result used does not compile:\n${err}")
endif()
set(n 0)
set(missing "")
foreach(name ${names})
  math(EXPR n "${n} + 1")
  execute_process(COMMAND ${CC} ${flags} -DCASE=${n} ${SRC} RESULT_VARIABLE rc
                  ERROR_VARIABLE err)
  if(rc EQUAL 0 OR NOT err MATCHES "unused-result|warn_unused_result")
    list(APPEND missing ${name})
  endif()
endforeach()
check_report("${missing}" "results that can be ignored without a warning"
             "model_warn_unused_result: ${n} functions refuse an ignored result")
