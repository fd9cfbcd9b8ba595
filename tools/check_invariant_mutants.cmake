# The invariant checker catches what it claims to: each kvm-v5 deviation
# below, switched on alone in the spec profile with --strict-invariants, must
# stop the run with exactly that invariant, a state dump and a REPLAY line
# naming the quirk (exit 2). Without --strict-invariants the same run is
# clean (exit 0): the quirk masks of the invariants are right.
set(pairs
  "deliver_unchecked=no_delivery_when_masked"
  "deliver_disabled=delivered_event_running_enabled"
  "resume_ignored=complete_restores_registers"
  "spsr_clobber=handler_entry_state"
  "zero_x4_x17=handler_entry_state"
  "pstate_keep_all=handler_entry_state"
  "stale_unregister_pending=blob_lint_clean")
set(common --seed=5 --vcpus=8 --steps=20000 --blob-every=512 --quiet)
foreach(pair ${pairs})
  string(REPLACE "=" ";" kv "${pair}")
  list(GET kv 0 quirk)
  list(GET kv 1 inv)
  execute_process(COMMAND ${SIM} run ${common} --quirks=+${quirk} --strict-invariants
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "+${quirk} --strict-invariants: exit ${rc}, want 2 (invariant)\n${err}")
  endif()
  if(NOT err MATCHES "INVARIANT FAILED at step [0-9]+: ${inv}\n")
    message(FATAL_ERROR "+${quirk}: expected invariant ${inv}, got:\n${err}")
  endif()
  if(NOT err MATCHES "REPLAY: sdei-sim run [^\n]*--quirks=\\+${quirk} --strict-invariants")
    message(FATAL_ERROR "+${quirk}: the REPLAY line does not reproduce the run:\n${err}")
  endif()
  execute_process(COMMAND ${SIM} run ${common} --quirks=+${quirk}
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "+${quirk} without --strict-invariants: exit ${rc}, want 0\n${err}")
  endif()
endforeach()
list(LENGTH pairs n)
message(STATUS "invariant mutants: ${n} deviations caught by their invariants")
