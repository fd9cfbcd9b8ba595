# rec2trace's edges (README.md, "Exit codes"): --help on stdout with exit 0;
# a directory, a garbage file or an empty one is bad input (exit 3) in one
# line on stderr with no trace written; a missing file is I/O (exit 4) with
# the system's reason; a usage error is exit 3 with a Try line.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT}/traces)
file(WRITE ${OUT}/garbage.rec "hello\nnot a recording -> {}\n")
file(WRITE ${OUT}/empty.rec "")

function(expect name rc_want out_regex err_regex)
  execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL ${rc_want} OR NOT out MATCHES "${out_regex}" OR NOT err MATCHES "${err_regex}")
    message(FATAL_ERROR "${name}: exit ${rc} (want ${rc_want})\nstdout: ${out}\nstderr: ${err}")
  endif()
  string(REGEX MATCHALL "\n" lines "${err}")
  list(LENGTH lines n)
  if(rc_want EQUAL 3 AND n GREATER 2)
    message(FATAL_ERROR "${name}: more than a line and a Try line on stderr:\n${err}")
  endif()
endfunction()

expect("--help" 0 "^usage: rec2trace FILE.rec OUTDIR\n" "^$" --help)
expect("--version" 0 "^rec2trace [0-9]" "^$" --version)
expect("a directory" 3 "^$" "^rec2trace: ${OUT}/traces: a directory, expected a recording" ${OUT}/traces ${OUT}/traces)
expect("garbage" 3 "^$" "garbage.rec: expected a line 'vm N' \\(a kernel recording\\), found none in 2 line" ${OUT}/garbage.rec ${OUT}/traces)
expect("empty" 3 "^$" "empty.rec: expected a line 'vm N'" ${OUT}/empty.rec ${OUT}/traces)
expect("missing" 4 "^$" "cannot open ${OUT}/none.rec: No such file or directory" ${OUT}/none.rec ${OUT}/traces)
expect("no operands" 3 "^$" "^rec2trace: expected FILE.rec and OUTDIR, got 0 argument\\(s\\)\nTry 'rec2trace --help'.\n$")
expect("unknown option" 3 "^$" "^rec2trace: unknown option '--frob'\nTry" --frob)
file(GLOB written ${OUT}/traces/*)
if(written)
  message(FATAL_ERROR "bad input wrote traces: ${written}")
endif()
message(STATUS "rec2trace: --help, directory, garbage, empty, missing file and usage behave")
