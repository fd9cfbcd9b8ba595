# Runs CMD on INPUT and passes only if it fails and prints a REPLAY line: the
# negative target proves that a finding is detected and reported.
execute_process(COMMAND ${CMD} ${INPUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "expected ${CMD} to fail on ${INPUT}, it exited 0:\n${out}${err}")
endif()
if(NOT err MATCHES "REPLAY: ")
  message(FATAL_ERROR "no REPLAY line in the failure output:\n${err}")
endif()
message(STATUS "failed as expected (${rc})")
