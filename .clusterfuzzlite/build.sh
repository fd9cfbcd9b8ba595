#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: the same fuzz/ targets, compiled with the
# infrastructure's $CC/$CFLAGS (its sanitizer and coverage flags) and linked
# with $LIB_FUZZING_ENGINE (libFuzzer, AFL++ or honggfuzz). Each target gets
# its seed corpus, dictionary and options next to it in $OUT. The negative
# target is left out: it crashes by design.
cd "$SRC/sdei-sim"
cmake -S . -B build-cflite -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DSDEI_BUILD_TESTS=OFF -DSDEI_WERROR=OFF \
    -DSDEI_BUILD_FUZZ=ON -DFZ_EXTERNAL_ENGINE="$LIB_FUZZING_ENGINE"
targets="calls diff blobs traces migrate"
for t in $targets; do
    cmake --build build-cflite -j"$(nproc)" --target "fuzz_$t"
done
for t in $targets; do
    cp "build-cflite/fuzz/fuzz_$t" "$OUT/"
    (cd "corpus/$t" && zip -q -j "$OUT/fuzz_${t}_seed_corpus.zip" ./*)
    case "$t" in
        blobs) dict=blobs.dict; max_len=65536 ;;
        traces) dict=traces.dict; max_len=65536 ;;
        *) dict=records.dict; max_len=12296 ;;
    esac
    cp "corpus/$dict" "$OUT/fuzz_$t.dict"
    printf '[libfuzzer]\nmax_len = %s\n' "$max_len" > "$OUT/fuzz_$t.options"
done
