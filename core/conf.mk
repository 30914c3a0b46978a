# core/conf.mk: settings (contexts), secrets, sanitising, JSON mapping.
# (headers listed so that make dist ships them)
core_libcore_a_SOURCES += core/settings.c core/secret.c core/sanitize.c \
	core/json.c include/berth/settings.h include/berth/secret.h \
	include/berth/sanitize.h include/berth/json.h

UNIT_TESTS += tests/unit/test-settings tests/unit/test-secret \
	tests/unit/test-sanitize tests/unit/test-json
tests_unit_test_settings_SOURCES = tests/unit/test-settings.c
tests_unit_test_settings_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_settings_LDADD = $(UNIT_LIBS)
tests_unit_test_secret_SOURCES = tests/unit/test-secret.c
tests_unit_test_secret_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_secret_LDADD = $(UNIT_LIBS)
# secret_free() is checked to hand its buffers to freezero
tests_unit_test_secret_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=freezero
tests_unit_test_sanitize_SOURCES = tests/unit/test-sanitize.c
tests_unit_test_sanitize_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sanitize_LDADD = $(UNIT_LIBS)
tests_unit_test_json_SOURCES = tests/unit/test-json.c
tests_unit_test_json_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_json_LDADD = $(UNIT_LIBS)
