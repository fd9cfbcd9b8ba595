# Every call-sequence and migration seed converts with fuzz2trace into a trace
# that sdei-sim replays without a divergence: the REPLAY path from a fuzz
# input to a golden trace works end to end.
file(MAKE_DIRECTORY ${OUT})
file(GLOB inputs ${CORPUS}/calls/seed-* ${CORPUS}/migrate/seed-*)
set(n 0)
foreach(in ${inputs})
  get_filename_component(name ${in} NAME)
  get_filename_component(dir ${in} DIRECTORY)
  get_filename_component(target ${dir} NAME)
  set(trace ${OUT}/${target}-${name}.trace)
  execute_process(COMMAND ${F2T} --target ${target} ${in} OUTPUT_FILE ${trace}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz2trace failed on ${in}: ${err}")
  endif()
  execute_process(COMMAND ${SIM} replay --quiet ${trace} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sdei-sim replay ${trace} (from ${in}) failed (${rc}):\n${out}${err}")
  endif()
  math(EXPR n "${n} + 1")
endforeach()
message(STATUS "${n} fuzz inputs converted and replayed")
