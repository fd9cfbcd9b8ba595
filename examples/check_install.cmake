# `cmake --install` gives a usable library for a program outside the tree: the
# headers, libsdei_model, sdei_model.pc, the CMake package (find_package) and
# the tools (sdei-sim, rec2trace, fuzz2trace) under one prefix (issue 13).
#
#   -DBUILD=<this build> -DCC=<compiler> -DEXAMPLES=<examples/> [-DEXTRA_FLAGS=...]
#   [-DNESTED=ON -DSRC_ROOT=<source tree>]
#
# Without NESTED the current build is installed (its own libdir, static library,
# the build's sanitizer/coverage flags in EXTRA_FLAGS). With NESTED a fresh
# Release build of the source tree is configured with a Debian multiarch libdir
# (lib/x86_64-linux-gnu) and BUILD_SHARED_LIBS=ON, built and installed: the
# pkg-config flags must name exactly <prefix>/include and <prefix>/lib/x86_64-linux-gnu.
separate_arguments(extra UNIX_COMMAND "${EXTRA_FLAGS}")
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
endfunction()

if(NESTED)
  set(libdir lib/x86_64-linux-gnu)
  set(work ${BUILD}/install-multiarch)
  set(prefix ${work}/prefix)
  file(REMOVE_RECURSE ${prefix})
  run("configure (multiarch libdir, shared)" ${CMAKE_COMMAND} -S ${SRC_ROOT} -B ${work}/build
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=${CC} -DSDEI_BUILD_TESTS=OFF
      -DBUILD_SHARED_LIBS=ON -DCMAKE_INSTALL_LIBDIR=${libdir} -DCMAKE_INSTALL_PREFIX=/usr)
  # the installed targets only: the rest of the tree is not needed here
  run("build" ${CMAKE_COMMAND} --build ${work}/build --parallel 2
      --target sdei_model sdei-sim rec2trace fuzz2trace)
  run("install" ${CMAKE_COMMAND} --install ${work}/build --prefix ${prefix})
  set(extra "")
else()
  set(prefix ${BUILD}/install-test)
  file(REMOVE_RECURSE ${prefix})
  run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
endif()

foreach(f include/sdei/sdei_model.h include/sdei/sdei_abi.h include/sdei/sdei_blob.h
          include/sdei/sdei_vmm.h include/sdei/sdei_quirks.h bin/sdei-sim bin/rec2trace
          bin/fuzz2trace share/man/man1/sdei-sim.1)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
file(GLOB_RECURSE pcs ${prefix}/*/sdei_model.pc)
file(GLOB_RECURSE cfgs ${prefix}/*/sdei_model-config.cmake)
list(LENGTH pcs npc)
list(LENGTH cfgs ncfg)
if(NOT npc EQUAL 1 OR NOT ncfg EQUAL 1)
  message(FATAL_ERROR "sdei_model.pc (${npc}) or sdei_model-config.cmake (${ncfg}) not installed")
endif()
if(NESTED)
  foreach(f ${libdir}/pkgconfig/sdei_model.pc ${libdir}/cmake/sdei_model/sdei_model-config.cmake
            ${libdir}/cmake/sdei_model/sdei_model-config-version.cmake
            ${libdir}/cmake/sdei_model/sdei_model-targets.cmake
            ${libdir}/libsdei_model.so ${libdir}/libsdei_model.so.0)
    if(NOT EXISTS ${prefix}/${f})
      message(FATAL_ERROR "not installed: ${f}")
    endif()
  endforeach()
endif()

# pkg-config alone builds and runs the walkthrough.
get_filename_component(pcdir ${pcs} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
execute_process(COMMAND pkg-config --cflags --libs sdei_model OUTPUT_VARIABLE flags
                RESULT_VARIABLE rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config does not know sdei_model")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
if(NESTED)
  # every -I/-L path, resolved, is exactly the install's include and lib dir
  set(want_I ${prefix}/include)
  set(want_L ${prefix}/${libdir})
  foreach(f ${flags})
    if(f MATCHES "^-([IL])(.*)$")
      set(kind ${CMAKE_MATCH_1})
      get_filename_component(got "${CMAKE_MATCH_2}" REALPATH)
      get_filename_component(want "${want_${kind}}" REALPATH)
      if(NOT got STREQUAL want)
        message(FATAL_ERROR "pkg-config -${kind}: ${got}, expected ${want} (flags: ${flags})")
      endif()
      set(seen_${kind} 1)
    endif()
  endforeach()
  if(NOT seen_I OR NOT seen_L)
    message(FATAL_ERROR "pkg-config gives no -I or no -L: ${flags}")
  endif()
  execute_process(COMMAND pkg-config --variable=libdir sdei_model OUTPUT_VARIABLE pclib
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  list(APPEND extra -Wl,-rpath,${pclib})
endif()
run("building the walkthrough with pkg-config flags"
    ${CC} -std=c11 ${EXAMPLES}/walkthrough.c ${flags} ${extra} -o ${prefix}/walkthrough)
run("the walkthrough built with pkg-config" ${prefix}/walkthrough)

# find_package(sdei_model) in a project of its own.
string(REPLACE ";" " " extra_s "${extra}")
run("configuring a find_package(sdei_model) consumer" ${CMAKE_COMMAND} -S ${EXAMPLES}/consumer
    -B ${prefix}/consumer -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC}
    "-DCMAKE_C_FLAGS=${extra_s}" "-DCMAKE_EXE_LINKER_FLAGS=${extra_s}")
run("building the find_package consumer" ${CMAKE_COMMAND} --build ${prefix}/consumer)
run("the find_package consumer" ${prefix}/consumer/walkthrough)

# The installed tools start (a shared library is found from bin/).
foreach(tool rec2trace fuzz2trace)
  execute_process(COMMAND ${prefix}/bin/${tool} --help OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT out MATCHES "usage")
    message(FATAL_ERROR "installed ${tool} does not start:\n${out}")
  endif()
endforeach()
run("installed sdei-sim run" ${prefix}/bin/sdei-sim run --seed=1 --vcpus=2 --steps=100 --quiet)
message(STATUS "install: pkg-config, find_package and the tools usable from ${prefix}")
