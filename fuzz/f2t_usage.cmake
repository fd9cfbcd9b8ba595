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
expect(3 --target kernel --profile kvm-v9 x.bin)
# --profile: the kernel target's trace in the tree's profile; v7 exposes no
# events (KVM's own table), so the trace has no expose line
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/f2t_v7.bin "\x01")
execute_process(COMMAND ${F2T} --target kernel --profile kvm-v7 ${CMAKE_CURRENT_BINARY_DIR}/f2t_v7.bin
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "profile=kvm-v7" OR out MATCHES "> expose")
  message(FATAL_ERROR "fuzz2trace --target kernel --profile kvm-v7: exit ${rc}\n${out}${err}")
endif()
execute_process(COMMAND ${F2T} --target kernel ${CMAKE_CURRENT_BINARY_DIR}/f2t_v7.bin
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "profile=kvm-v5" OR NOT out MATCHES "> expose")
  message(FATAL_ERROR "fuzz2trace --target kernel (kvm-v5 by default): exit ${rc}\n${out}${err}")
endif()
message(STATUS "fuzz2trace: --help, usage errors and I/O errors exit 0, 3, 4")
