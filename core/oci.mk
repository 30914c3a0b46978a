# core/oci.mk: OCI distribution client, connection probe, pull-token
# credentials, and the registries commands (owner: D).
core_libcore_a_SOURCES += core/oci.c core/oci-parse.c core/probe.c core/pulltoken.c \
	core/cmd-registries.c

UNIT_TESTS += tests/unit/test-oci
tests_unit_test_oci_SOURCES = tests/unit/test-oci.c
tests_unit_test_oci_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_oci_LDADD = $(UNIT_LIBS)

UNIT_TESTS += tests/unit/test-oci-probe
tests_unit_test_oci_probe_SOURCES = tests/unit/test-oci-probe.c
tests_unit_test_oci_probe_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_oci_probe_LDADD = $(UNIT_LIBS)

UNIT_TESTS += tests/unit/test-pulltoken
tests_unit_test_pulltoken_SOURCES = tests/unit/test-pulltoken.c
tests_unit_test_pulltoken_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pulltoken_LDADD = $(UNIT_LIBS)

# libFuzzer harness for the OCI, pull-token and URL parsers
# (CC=clang configure --enable-fuzzers; FUZZ_FLAGS from tests/fuzz/local.mk).
if ENABLE_FUZZERS
noinst_PROGRAMS += tests/fuzz/fuzz-oci
tests_fuzz_fuzz_oci_SOURCES = tests/fuzz/fuzz-oci.c core/oci-parse.c \
	core/pulltoken.c
tests_fuzz_fuzz_oci_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_oci_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_FLAGS)
tests_fuzz_fuzz_oci_LDADD = $(CORE_LIBS)
endif
