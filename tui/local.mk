# tui/: the berth program (console screens and CLI entry point).
bin_PROGRAMS += berth
berth_SOURCES = tui/berth.c
berth_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS)
berth_LDADD = $(CORE_LIBS) $(CURSES_LIBS)
