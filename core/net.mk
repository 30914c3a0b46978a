# core/net.mk: event loop, HTTP client, debug log, errors, allocation (B1).
core_libcore_a_SOURCES += core/xmalloc.c core/berr.c core/loop.c \
	core/loop-private.h core/http.c core/log.c
