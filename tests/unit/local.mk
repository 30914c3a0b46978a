# tests/unit/: cmocka unit tests (TAP output), run by make check.
# Each core fragment adds its own tests with: UNIT_TESTS += tests/unit/test-x
if HAVE_CMOCKA
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
endif
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(CMOCKA_LIBS)
