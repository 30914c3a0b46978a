# core/net.mk: event loop, HTTP client, debug log, errors, allocation (B1).
core_libcore_a_SOURCES += core/xmalloc.c core/berr.c core/loop.c \
	core/loop-private.h core/http.c core/log.c

UNIT_TESTS += tests/unit/test-loop tests/unit/test-http
tests_unit_test_loop_SOURCES = tests/unit/test-loop.c
tests_unit_test_loop_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_loop_LDADD = $(UNIT_LIBS)
tests_unit_test_http_SOURCES = tests/unit/test-http.c
tests_unit_test_http_CFLAGS = $(UNIT_CFLAGS) -DABS_TOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_http_LDADD = $(UNIT_LIBS)
EXTRA_DIST += tests/unit/httpd.py
