# tests/fuzz/local.mk: libFuzzer harnesses, built only with
# `CC=clang configure --enable-fuzzers`.
# The module under test is compiled into each harness so that libFuzzer
# sees its coverage; the rest comes from libcore.a.
# Run: tests/fuzz/run.sh [SECONDS] from the build directory.
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/corpus
if ENABLE_FUZZERS
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZERS = tests/fuzz/fuzz-sanitize tests/fuzz/fuzz-json tests/fuzz/fuzz-settings
noinst_PROGRAMS += $(FUZZERS)
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz-sanitize.c core/sanitize.c
tests_fuzz_fuzz_sanitize_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_sanitize_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_sanitize_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz-json.c core/json.c
tests_fuzz_fuzz_json_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_json_LDADD = $(CORE_LIBS)
tests_fuzz_fuzz_settings_SOURCES = tests/fuzz/fuzz-settings.c core/settings.c
tests_fuzz_fuzz_settings_CFLAGS = $(AM_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_settings_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_settings_LDADD = $(CORE_LIBS)
endif
