# core/net.mk
core_libcore_a_SOURCES += core/xmalloc.c core/berr.c
