# check_report(ITEMS HEADER OK): the verdict of a cmake -P check under tests/: a
# FATAL_ERROR naming HEADER and each item of the list ITEMS on its own line, or
# the STATUS line OK when the list is empty.
function(check_report items header ok)
  if(items)
    string(REPLACE ";" "\n  " msg "${items}")
    message(FATAL_ERROR "${header}:\n  ${msg}")
  endif()
  message(STATUS "${ok}")
endfunction()
