# core/: libcore.a, linked by berth and by every test (no ncurses here).
# Each area keeps its sources (and its unit tests) in its own fragment.
noinst_LIBRARIES += core/libcore.a
core_libcore_a_SOURCES =
core_libcore_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS)
CORE_LIBS = core/libcore.a $(CURL_LIBS) $(CJSON_LIBS) $(BSD_LIBS)

include $(srcdir)/core/net.mk
include $(srcdir)/core/conf.mk
include $(srcdir)/core/harbor.mk
include $(srcdir)/core/oci.mk
