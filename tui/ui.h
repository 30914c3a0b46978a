/*
 * ui.h: the only module that writes text to the terminal. Every string
 * goes through ui_text(), which sanitises it (san_text), measures it with
 * wcwidth() and fits it to a width with an ellipsis. Colours are semantic
 * roles (UI_COLOURS) with a monochrome attribute for NO_COLOR, TERM=dumb
 * and terminals without colour; line drawing falls back to ASCII when the
 * locale is not UTF-8.
 */
#ifndef BERTH_TUI_UI_H
#define BERTH_TUI_UI_H

#include <stddef.h>

#include <curses.h>

/* role, foreground, background, colour attributes, monochrome attributes */
#define UI_COLOURS(_)							\
	_(NORMAL,	-1,		-1,		A_NORMAL, A_NORMAL)	\
	_(HEADER,	COLOR_WHITE,	COLOR_BLUE,	A_BOLD,	  A_REVERSE)	\
	_(CRUMBS,	COLOR_CYAN,	-1,		A_NORMAL, A_NORMAL)	\
	_(BADGE,	COLOR_BLACK,	COLOR_YELLOW,	A_BOLD,	  A_BOLD)	\
	_(BADGE_BAD,	COLOR_WHITE,	COLOR_RED,	A_BOLD,	  A_BOLD)	\
	_(TITLE,	COLOR_WHITE,	-1,		A_BOLD,	  A_BOLD)	\
	_(COLHEAD,	COLOR_BLACK,	COLOR_CYAN,	A_NORMAL, A_UNDERLINE)	\
	_(CURSOR,	COLOR_BLACK,	COLOR_WHITE,	A_NORMAL, A_REVERSE)	\
	_(MARKED,	COLOR_YELLOW,	-1,		A_BOLD,	  A_BOLD)	\
	_(GOOD,		COLOR_GREEN,	-1,		A_NORMAL, A_NORMAL)	\
	_(BAD,		COLOR_RED,	-1,		A_BOLD,	  A_BOLD)	\
	_(WARN,		COLOR_YELLOW,	-1,		A_NORMAL, A_NORMAL)	\
	_(DIM,		COLOR_BLUE,	-1,		A_NORMAL, A_DIM)	\
	_(KEY,		COLOR_YELLOW,	-1,		A_BOLD,	  A_BOLD)	\
	_(STATUS_OK,	COLOR_GREEN,	-1,		A_NORMAL, A_NORMAL)	\
	_(STATUS_ERR,	COLOR_WHITE,	COLOR_RED,	A_BOLD,	  A_BOLD)	\
	_(DIALOG,	COLOR_WHITE,	COLOR_BLACK,	A_NORMAL, A_NORMAL)	\
	_(FIELD,	COLOR_WHITE,	COLOR_BLUE,	A_NORMAL, A_UNDERLINE)	\
	_(FOCUS,	COLOR_BLACK,	COLOR_CYAN,	A_BOLD,	  A_REVERSE)

enum ui_role {
#define UI_ROLE_ENUM(r, fg, bg, a, m) UI_##r,
	UI_COLOURS(UI_ROLE_ENUM)
#undef UI_ROLE_ENUM
	UI_NROLES
};

#define UI_MIN_COLS	80
#define UI_MIN_LINES	24

enum ui_align {
	UI_LEFT = 0,
	UI_RIGHT,
	UI_CENTRE
};

/* The layout: header (context, crumbs), body, status line, key hints. */
struct ui {
	WINDOW	*head;		/* 2 lines */
	WINDOW	*body;
	WINDOW	*status;	/* 1 line */
	WINDOW	*foot;		/* 1 line */
	int	 cols, lines;
	int	 too_small;	/* below UI_MIN_COLS x UI_MIN_LINES */
	int	 utf8;		/* UTF-8 locale: Unicode lines and ellipsis */
	int	 mono;		/* no colour */
	int	 dumb;		/* TERM could not address: drawn as vt100 */
	int	 started;
};

extern struct ui ui;

/* Bracketed paste markers (curses key codes of our own, from wget_wch). */
#define UI_KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define UI_KEY_PASTE_END	(KEY_MAX + 2)

int	 ui_start(char *, size_t);	/* 0 or -1 with a reason */
void	 ui_stop(void);			/* endwin(); idempotent, fatal hook */
void	 ui_resume(void);		/* after ui_stop */
void	 ui_release(void);		/* free curses at teardown */
void	 ui_resize(void);		/* read the tty size, relayout */
void	 ui_layout(void);
void	 ui_redraw(void);		/* repaint everything next time */
void	 ui_flush(void);		/* wnoutrefresh all, doupdate */
void	 ui_flush_overlay(WINDOW *);	/* before ui_flush_done */
void	 ui_flush_done(void);
void	 ui_too_small(void);		/* the one message below minimum */

attr_t	 ui_attr(enum ui_role);

/*
 * Draw untrusted text at (y, x), fitted into width columns (an ellipsis
 * when cut), padded with spaces in role's attributes. Returns the columns
 * used by the text (before padding).
 */
int	 ui_text(WINDOW *, int, int, int, const char *, enum ui_role,
	     enum ui_align);
/* Same, with the text formatted first (berth's own strings). */
int	 ui_textf(WINDOW *, int, int, int, enum ui_role, const char *, ...)
	     __attribute__((format(printf, 6, 7)));
/* Fill width columns with blanks / a horizontal line. */
void	 ui_blank(WINDOW *, int, int, int, enum ui_role);
void	 ui_hline(WINDOW *, int, int, int, enum ui_role);
/* A box around the window, ASCII outside UTF-8 locales. */
void	 ui_box(WINDOW *, enum ui_role);
void	 ui_erase(WINDOW *, enum ui_role);
void	 ui_title(WINDOW *, const char *);	/* on a box's top line */
void	 ui_cursor(WINDOW *, int, int);	/* place (and show) the cursor */
void	 ui_nocursor(void);

/*
 * Sanitise and fit: a new string of at most width columns (caller frees),
 * *used set to its width. Exposed for widgets that measure first.
 */
char	*ui_fit(const char *, int, int *);
int	 ui_width(const char *);	/* display width after sanitising */
char	**ui_wrap(const char *, int, size_t *);	/* sanitised lines */

/* The ellipsis and line characters for this locale. */
const char *ui_ellipsis(void);

/* A centred window for this render only (freed after the update). */
WINDOW	*ui_overlay(int, int);
void	 ui_overlays_free(void);

/* Copy to the clipboard with OSC 52 (wrapped for tmux when needed). */
void	 ui_clipboard(const char *);

#endif
