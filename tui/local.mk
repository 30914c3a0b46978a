# tui/: the berth program (console screens and CLI entry point).
# libtui.a holds the console (ncurses); berth links it with libcore.a.
noinst_LIBRARIES += tui/libtui.a
tui_libtui_a_SOURCES = \
	tui/console.c tui/console-draw.c tui/console-int.h \
	tui/keymap.c tui/keymap.h tui/screens.c tui/tui.h \
	tui/ui.c tui/ui.h \
	tui/widget-dialog.c tui/widget-form.c tui/widget-prompt.c \
	tui/widget-table.c \
	tui/screen-help.c tui/screen-overview.c tui/screen-widgets.c \
	tui/screen-registries.c
tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS)

bin_PROGRAMS += berth
berth_SOURCES = tui/berth.c
berth_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS)
berth_LDADD = tui/libtui.a $(CORE_LIBS) $(CURSES_LIBS)
