# core/harbor.mk: Harbor client, models, session, CLI commands (B3).
core_libcore_a_SOURCES += core/harbor.c core/harbor-map.c core/model.c \
	core/session.c core/output.c core/cmd.c core/cmd-context.c \
	core/cmd-status.c

UNIT_TESTS += tests/unit/test-harbor
tests_unit_test_harbor_SOURCES = tests/unit/test-harbor.c
tests_unit_test_harbor_CFLAGS = $(UNIT_CFLAGS) -DABS_TOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_harbor_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/unit/fakeharbor.py

UNIT_TESTS += tests/unit/test-cli
tests_unit_test_cli_SOURCES = tests/unit/test-cli.c
tests_unit_test_cli_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cli_LDADD = $(UNIT_LIBS)

# Against the simulator stack: built by make check, run by
# tests/integration/cli-api.t (it needs BERTH_SIM_* from the stack).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-harbor-sim
endif
tests_unit_test_harbor_sim_SOURCES = tests/unit/test-harbor-sim.c
tests_unit_test_harbor_sim_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_harbor_sim_LDADD = $(UNIT_LIBS)

# libFuzzer harness for the mappers (CC=clang configure --enable-fuzzers;
# FUZZ_FLAGS comes from tests/fuzz/local.mk).
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz-harbor-map
tests_fuzz_fuzz_harbor_map_SOURCES = tests/fuzz/fuzz-harbor-map.c \
	core/harbor-map.c core/harbor.c core/model.c
tests_fuzz_fuzz_harbor_map_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) \
	$(CURL_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_harbor_map_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_harbor_map_LDADD = $(CORE_LIBS)
endif
