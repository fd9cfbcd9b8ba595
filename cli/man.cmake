# The man page of sdei-sim, generated from its --help texts with help2man
# (docs/sdei-sim.1). MODE=generate writes OUT; MODE=check generates into
# WORK and fails if OUT differs (the .TH date and help2man's own comment
# aside): `cmake --build B --target man` regenerates it.
#   cmake -DSIM=sdei-sim -DOUT=docs/sdei-sim.1 -DWORK=dir -DMODE=check|generate -P man.cmake
cmake_policy(SET CMP0007 NEW) # list(FILTER) keeps empty lines
find_program(HELP2MAN help2man)
if(NOT HELP2MAN)
  # ctest marks the test skipped on this line (SKIP_REGULAR_EXPRESSION)
  message(STATUS "SKIPPED: help2man is not installed (scripts/lib.sh installs it)")
  return()
endif()
file(MAKE_DIRECTORY ${WORK})

# One section with every command's --help, verbatim.
set(inc "[COMMANDS]\n")
foreach(cmd run replay blob table)
  execute_process(COMMAND ${SIM} ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sdei-sim ${cmd} --help exits ${rc}")
  endif()
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND inc ".SS \"sdei-sim ${cmd}\"\n.nf\n${help}.fi\n")
endforeach()
string(APPEND inc "[SEE ALSO]\nREADME.md, docs/simulator.md, docs/trace-format.md and "
       "docs/migration.md in the source tree.\n")
file(WRITE ${WORK}/sdei-sim.h2m "${inc}")

set(gen ${WORK}/sdei-sim.1)
execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1
                --name=SDEI\ reference\ model,\ simulator\ and\ blob\ tools
                --include=${WORK}/sdei-sim.h2m --output=${gen} ${SIM}
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc}): ${err}")
endif()

# What may differ between machines: the date line and help2man's comment.
function(man_body file var)
  file(STRINGS ${file} lines)
  list(FILTER lines EXCLUDE REGEX "^\\.TH |^\\.\\\\\"")
  string(REPLACE ";" "\n" body "${lines}")
  set(${var} "${body}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "generate")
  configure_file(${gen} ${OUT} COPYONLY)
  message(STATUS "wrote ${OUT}")
  return()
endif()
if(NOT EXISTS ${OUT})
  message(FATAL_ERROR "${OUT} is missing: cmake --build <build dir> --target man")
endif()
man_body(${gen} want)
man_body(${OUT} have)
if(NOT want STREQUAL have)
  message(FATAL_ERROR "${OUT} is not current with sdei-sim --help: regenerate it with "
                      "`cmake --build <build dir> --target man` (diff ${gen} ${OUT})")
endif()
message(STATUS "man page current: ${OUT}")
