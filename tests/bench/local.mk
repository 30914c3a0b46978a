# tests/bench/: benchmarks (tests/bench/run; not part of make check's
# TESTS). bench-tasks is a check program so that make check keeps it
# compiling; tests/bench/run builds it on demand (make tests/bench/bench-tasks).
check_PROGRAMS += tests/bench/bench-tasks
tests_bench_bench_tasks_SOURCES = tests/bench/bench-tasks.c
tests_bench_bench_tasks_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
tests_bench_bench_tasks_LDADD = $(CORE_LIBS)
# Listed one by one: a directory in EXTRA_DIST is taken from the build tree
# when it exists there (it does: bench-tasks is built in it).
EXTRA_DIST += tests/bench/run tests/bench/README.md tests/bench/rusage.py \
	tests/bench/keytime.py
