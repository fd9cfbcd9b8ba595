# fuzz2trace's exit codes follow the project's convention (README.md, "Exit
# codes"): --help 0 on stdout, a usage error 3, a file it cannot open 4.
function(expect want)
  execute_process(COMMAND ${F2T} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL want)
    message(FATAL_ERROR "fuzz2trace ${ARGN}: exit ${rc} (want ${want})\n${out}${err}")
  endif()
  if(want EQUAL 0 AND NOT out MATCHES "^usage: fuzz2trace")
    message(FATAL_ERROR "fuzz2trace ${ARGN}: no usage on stdout\n${out}${err}")
  endif()
endfunction()
expect(0 --help)
expect(3 --target bogus x.bin)
expect(3)
expect(4 /nonexistent/x.bin)
message(STATUS "fuzz2trace: --help, usage errors and I/O errors exit 0, 3, 4")
