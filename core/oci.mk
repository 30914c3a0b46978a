# core/oci.mk: OCI distribution client, connection probe, pull-token
# credentials, and the registries commands (owner: D).
core_libcore_a_SOURCES += core/oci.c core/oci-parse.c core/probe.c core/pulltoken.c \
	core/cmd-registries.c

UNIT_TESTS += tests/unit/test-oci
tests_unit_test_oci_SOURCES = tests/unit/test-oci.c
tests_unit_test_oci_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_oci_LDADD = $(UNIT_LIBS)

UNIT_TESTS += tests/unit/test-pulltoken
tests_unit_test_pulltoken_SOURCES = tests/unit/test-pulltoken.c
tests_unit_test_pulltoken_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pulltoken_LDADD = $(UNIT_LIBS)
