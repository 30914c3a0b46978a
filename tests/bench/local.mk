# tests/bench/: benchmarks (tests/bench/run; not part of make check's
# TESTS). bench-tasks is a check program so that make check keeps it
# compiling; tests/bench/run builds it on demand (make tests/bench/bench-tasks).
check_PROGRAMS += tests/bench/bench-tasks
tests_bench_bench_tasks_SOURCES = tests/bench/bench-tasks.c
tests_bench_bench_tasks_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
tests_bench_bench_tasks_LDADD = $(CORE_LIBS)
