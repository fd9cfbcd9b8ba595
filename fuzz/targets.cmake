# Fuzz targets, one file each (docs/fuzzing.md). Always: a standalone
# replayer per target (fuzz_<t>_replay) and ctest tests that replay
# corpus/<t>/; with SDEI_BUILD_FUZZ (preset `fuzz`, clang): the libFuzzer
# binaries fuzz_<t>, built against an instrumented copy of the model (and of
# the simulator library for the trace target).
set(FZ_DIR ${CMAKE_CURRENT_LIST_DIR})
get_filename_component(FZ_ROOT ${FZ_DIR}/.. ABSOLUTE)
set(FZ_TARGETS calls diff blobs traces migrate negative)

# The model's whole-VM save/restore and blob lint (save.c, lint.c) may be
# missing in a tree that is being built up; targets use them when defined.
set(FZ_DEFS "")
get_target_property(FZ_MODEL_C sdei_model SOURCES)
foreach(f ${FZ_MODEL_C})
  file(STRINGS ${f} hit REGEX "^sdei_err sdei_vm_save\\(")
  if(hit)
    list(APPEND FZ_DEFS FZ_HAVE_SAVE=1)
  endif()
  file(STRINGS ${f} hit REGEX "^uint32_t sdei_lint_blobs\\(")
  if(hit)
    list(APPEND FZ_DEFS FZ_HAVE_LINT=1)
  endif()
endforeach()
if(FZ_EXTRA_DEFS)
  list(APPEND FZ_DEFS ${FZ_EXTRA_DEFS})
endif()
list(REMOVE_DUPLICATES FZ_DEFS)

set(FZ_CORE_SRC ${FZ_DIR}/fuzz_driver.c ${FZ_DIR}/diff_interp.c)

# Plain (gcc or clang, the build's own sanitizers) core for replayers and tools.
add_library(fz_core STATIC ${FZ_CORE_SRC})
target_include_directories(fz_core PUBLIC ${FZ_DIR})
target_compile_definitions(fz_core PUBLIC ${FZ_DEFS})
target_link_libraries(fz_core PUBLIC sdei_model)

function(fz_needs_sim t out)
  if(t STREQUAL "traces")
    set(${out} 1 PARENT_SCOPE)
  else()
    set(${out} 0 PARENT_SCOPE)
  endif()
endfunction()

foreach(t ${FZ_TARGETS})
  fz_needs_sim(${t} sim)
  if(sim AND NOT TARGET sdei_sim_lib)
    message(STATUS "fuzz: target ${t} needs sdei_sim_lib; not built")
    continue()
  endif()
  add_executable(fuzz_${t}_replay ${FZ_DIR}/fuzz_${t}.c ${FZ_DIR}/fuzz_engine.c
                                  ${FZ_DIR}/fuzz_replay_main.c)
  target_compile_definitions(fuzz_${t}_replay PRIVATE FZ_STANDALONE _DEFAULT_SOURCE)
  target_link_libraries(fuzz_${t}_replay PRIVATE fz_core)
  if(sim)
    target_link_libraries(fuzz_${t}_replay PRIVATE sdei_sim_lib)
  endif()
  if(t STREQUAL "negative")
    # The negative target must fail on its crash inputs, with a REPLAY line.
    file(GLOB FZ_NEG_INPUTS ${FZ_ROOT}/corpus/negative/*)
    foreach(in ${FZ_NEG_INPUTS})
      get_filename_component(name ${in} NAME)
      add_test(NAME fuzz.negative_fails.${name}
               COMMAND ${CMAKE_COMMAND} -DCMD=$<TARGET_FILE:fuzz_negative_replay>
                       -DINPUT=${in} -P ${FZ_DIR}/expect_fail.cmake)
      set_tests_properties(fuzz.negative_fails.${name} PROPERTIES LABELS fuzz)
    endforeach()
  else()
    add_test(NAME fuzz.corpus.${t} COMMAND fuzz_${t}_replay ${FZ_ROOT}/corpus/${t})
    set_tests_properties(fuzz.corpus.${t} PROPERTIES LABELS fuzz)
  endif()
endforeach()

# Tools: the corpus generator and the crash-to-trace converter.
add_executable(fuzz_gen_corpus ${FZ_DIR}/gen_corpus.c)
target_compile_definitions(fuzz_gen_corpus PRIVATE _DEFAULT_SOURCE)
target_link_libraries(fuzz_gen_corpus PRIVATE fz_core)
# The committed seeds are what the generator writes (every generated file is
# in corpus/, byte for byte).
add_test(NAME fuzz.corpus_seeds_current
         COMMAND fuzz_gen_corpus --check ${FZ_ROOT}/corpus)
set_tests_properties(fuzz.corpus_seeds_current PROPERTIES LABELS fuzz)
if(TARGET sdei_sim_lib)
  add_executable(fuzz2trace ${FZ_DIR}/fuzz2trace.c)
  target_compile_definitions(fuzz2trace PRIVATE _DEFAULT_SOURCE)
  target_link_libraries(fuzz2trace PRIVATE fz_core sdei_sim_lib)
  # Every call-sequence seed converts to a trace that sdei-sim replays
  # without a divergence.
  add_test(NAME fuzz.fuzz2trace_replays
           COMMAND ${CMAKE_COMMAND} -DF2T=$<TARGET_FILE:fuzz2trace>
                   -DSIM=$<TARGET_FILE:sdei-sim> -DCORPUS=${FZ_ROOT}/corpus
                   -DOUT=${CMAKE_CURRENT_BINARY_DIR}/f2t -P ${FZ_DIR}/f2t_check.cmake)
  set_tests_properties(fuzz.fuzz2trace_replays PROPERTIES LABELS fuzz)
endif()

if(NOT SDEI_BUILD_FUZZ)
  return()
endif()

# ---- libFuzzer / AFL++ binaries (clang or afl-clang-fast) ----
set(FZ_SANITIZERS "address,undefined" CACHE STRING
    "Sanitizers of the fuzzing build (with fuzzer / fuzzer-no-link)")
set(FZ_INST -fsanitize=fuzzer-no-link,${FZ_SANITIZERS} -fno-sanitize-recover=all
            -fno-omit-frame-pointer)

# Instrumented copies of the model and the simulator library: coverage
# feedback needs the code under test instrumented, not only the harness.
get_target_property(FZ_MODEL_SRC sdei_model SOURCES)
add_library(fz_model_inst STATIC ${FZ_MODEL_SRC})
target_include_directories(fz_model_inst PUBLIC ${FZ_ROOT}/model/include
                           PRIVATE ${FZ_ROOT}/model/src)
target_compile_options(fz_model_inst PRIVATE ${FZ_INST})

add_library(fz_core_inst STATIC ${FZ_CORE_SRC})
target_include_directories(fz_core_inst PUBLIC ${FZ_DIR})
target_compile_definitions(fz_core_inst PUBLIC ${FZ_DEFS})
target_compile_options(fz_core_inst PRIVATE ${FZ_INST})
target_link_libraries(fz_core_inst PUBLIC fz_model_inst)

if(TARGET sdei_sim_lib)
  get_target_property(FZ_SIM_SRC sdei_sim_lib SOURCES)
  add_library(fz_sim_inst STATIC ${FZ_SIM_SRC})
  target_include_directories(fz_sim_inst PUBLIC ${FZ_ROOT}/sim)
  target_compile_definitions(fz_sim_inst PRIVATE _POSIX_C_SOURCE=200809L)
  target_compile_options(fz_sim_inst PRIVATE ${FZ_INST})
  target_link_libraries(fz_sim_inst PUBLIC fz_model_inst)
endif()

foreach(t ${FZ_TARGETS})
  fz_needs_sim(${t} sim)
  if(sim AND NOT TARGET fz_sim_inst)
    continue()
  endif()
  add_executable(fuzz_${t} ${FZ_DIR}/fuzz_${t}.c ${FZ_DIR}/fuzz_engine.c)
  target_compile_definitions(fuzz_${t} PRIVATE _DEFAULT_SOURCE)
  target_compile_options(fuzz_${t} PRIVATE ${FZ_INST})
  target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer,${FZ_SANITIZERS})
  target_link_libraries(fuzz_${t} PRIVATE fz_core_inst)
  if(sim)
    target_link_libraries(fuzz_${t} PRIVATE fz_sim_inst)
  endif()
endforeach()
