# libsdei_model must have no writable global or static data: every VM's state
# lives in the memory handed to sdei_vm_init (STYLE habit 4, DESIGN §3).
# Constant tables of pointers live in .data.rel.ro (the library is PIC), which
# is read-only after relocation; only .data and .bss symbols are writable.
include(${CMAKE_CURRENT_LIST_DIR}/check_report.cmake)
execute_process(COMMAND objdump -t ${LIB} OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objdump failed on ${LIB}")
endif()
string(REGEX MATCHALL "[^\n]*[ \t](\\.data|\\.bss|\\.data\\.[a-z_0-9]+|\\.bss\\.[a-z_0-9]+)[ \t][^\n]*" hits "${syms}")
set(writable "")
foreach(h ${hits})
  if(h MATCHES "\\.data\\.rel\\.ro")
    continue()
  endif()
  # section symbols and instrumentation counters (coverage, sanitizers) are not ours
  if(h MATCHES "[ \t]\\.(data|bss)[^ \t]*[ \t]+[0-9a-f]+[ \t]+\\.(data|bss)" OR
     h MATCHES "__gcov|__llvm|__asan|__odr_asan|__ubsan|__sancov|__profc|__profd|\\.L")
    continue()
  endif()
  list(APPEND writable "${h}")
endforeach()
check_report("${writable}" "writable globals in libsdei_model"
             "model_no_globals: no writable data in ${LIB}")
