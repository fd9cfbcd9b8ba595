# Fails if model/ calls what a pure model must not (STYLE habit 4). Only
# model/src/vm_alloc.c may allocate: the single allocation of sdei_vm_new.
include(${CMAKE_CURRENT_LIST_DIR}/check_report.cmake)
file(GLOB_RECURSE files ${SRC}/*.c ${SRC}/*.h)
set(forbidden
  "[^_a-z]malloc[ ]*\\(" "[^_a-z]calloc[ ]*\\(" "[^_a-z]realloc[ ]*\\(" "[^_a-z]free[ ]*\\("
  "[^_a-z]time[ ]*\\(" "clock_gettime" "gettimeofday" "[^_a-z]clock[ ]*\\("
  "[^_a-z]rand[ ]*\\(" "srand" "random[ ]*\\(" "getrandom"
  "printf[ ]*\\(" "puts[ ]*\\(" "fopen" "fwrite" "fread" "[^_a-z]write[ ]*\\(" "[^_a-z]read[ ]*\\("
  "pthread" "threads\\.h" "_Thread_local" "thread_local")
set(failures "")
foreach(f ${files})
  get_filename_component(base ${f} NAME)
  file(READ ${f} text)
  # strip comments and string literals so prose does not trip the check
  string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" "" text "${text}")
  string(REGEX REPLACE "\"([^\"\\\\]|\\\\.)*\"" "\"\"" text "${text}")
  foreach(pat ${forbidden})
    if(base STREQUAL "vm_alloc.c" AND (pat MATCHES "malloc" OR pat MATCHES "free"))
      continue()
    endif()
    if(text MATCHES "${pat}")
      list(APPEND failures "${f}: matches forbidden pattern '${pat}' (${CMAKE_MATCH_0})")
    endif()
  endforeach()
endforeach()
check_report("${failures}" "model purity check failed"
             "model purity: ${CMAKE_CURRENT_LIST_FILE}: no forbidden calls in model/")
