/*
 * ui.c: curses setup and teardown, layout, colour roles and the one path
 * by which text reaches the screen (ui_text). See ui.h.
 */
#include "config.h"

#include "ui.h"

#include <sys/ioctl.h>

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "berth/sanitize.h"
#include "berth/xmalloc.h"

struct ui ui;

static const struct {
	short	fg, bg;
	attr_t	attr, mono;
} ui_roles[] = {
#define UI_ROLE_ROW(r, fg, bg, a, m) { fg, bg, a, m },
	UI_COLOURS(UI_ROLE_ROW)
#undef UI_ROLE_ROW
};

static SCREEN	*ui_screen;
static char	*ui_clip;	/* OSC 52 sequence to write after doupdate */

static void	 ui_raw(const char *);

static void	 ui_colours(void);

/* Can the terminal address the cursor (terminfo cup)? */
static int
ui_can_address(void)
{
	char	*cup;

	cup = tigetstr("cup");
	return (cup != NULL && cup != (char *)-1);
}

/*
 * Start curses on the controlling terminal. Returns -1 with a reason when
 * there is no terminal or the terminal type is unknown.
 */
int
ui_start(char *why, size_t whylen)
{
	const char	*nc, *term;

	if (ui.started)
		return (0);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(why, whylen, "the console needs a terminal "
		    "(run a command instead, see berth help)");
		return (-1);
	}
	ui.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	term = getenv("TERM");
	if (term == NULL || *term == '\0')
		term = "dumb";
	ui_screen = newterm(term, stdout, stdin);
	if (ui_screen == NULL) {
		snprintf(why, whylen, "unknown terminal type \"%.64s\"", term);
		return (-1);
	}
	set_term(ui_screen);
	if (!ui_can_address()) {
		/*
		 * TERM=dumb and the like cannot move the cursor: draw for a
		 * plain VT100 instead, in monochrome (a terminal emulator that
		 * says "dumb" still speaks it; tmux and xterm do).
		 */
		delscreen(ui_screen);
		if ((ui_screen = newterm("vt100", stdout, stdin)) == NULL) {
			snprintf(why, whylen, "terminal \"%.64s\" cannot move "
			    "the cursor; use the commands (berth help)", term);
			return (-1);
		}
		set_term(ui_screen);
		ui.dumb = 1;
	}
	ui.started = 1;
	nc = getenv("NO_COLOR");
	ui.mono = (nc != NULL && *nc != '\0') || !has_colors() || ui.dumb;
	if (!ui.mono)
		ui_colours();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curs_set(0);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	meta(stdscr, TRUE);
	/* Bracketed paste: pasted text comes between these two keys. */
	define_key("\033[200~", UI_KEY_PASTE_BEGIN);
	define_key("\033[201~", UI_KEY_PASTE_END);
	ui_raw("\033[?2004h");
	ui_layout();
	return (0);
}

/* Write a raw sequence to the terminal (async-signal-safe). */
static void
ui_raw(const char *seq)
{
	size_t	off, len;
	ssize_t	n;

	len = strlen(seq);
	for (off = 0; off < len; off += (size_t)n) {
		n = write(STDOUT_FILENO, seq + off, len - off);
		if (n <= 0)
			break;
	}
}

static void
ui_colours(void)
{
	size_t	i;

	start_color();
	use_default_colors();
	for (i = 0; i < nitems(ui_roles); i++)
		init_pair((short)(i + 1), ui_roles[i].fg, ui_roles[i].bg);
}

/* Restore the terminal. Safe to call twice, from fatal hooks and crashes. */
void
ui_stop(void)
{
	if (!ui.started)
		return;
	ui.started = 0;
	curs_set(1);
	endwin();
	ui_raw("\033[?2004l");		/* bracketed paste off */
}

/* Back to curses after ui_stop() (a password prompt on the terminal). */
void
ui_resume(void)
{
	if (ui.started || ui_screen == NULL)
		return;
	ui.started = 1;
	reset_prog_mode();
	ui_raw("\033[?2004h");
	curs_set(0);
	ui_resize();
	doupdate();
}

/* Free curses' memory after ui_stop (teardown only). */
static void
ui_windows_free(void)
{
	WINDOW	**w[] = { &ui.head, &ui.body, &ui.status, &ui.foot };
	size_t	  i;

	for (i = 0; i < nitems(w); i++) {
		if (*w[i] != NULL)
			delwin(*w[i]);
		*w[i] = NULL;
	}
}

void
ui_release(void)
{
	ui_stop();
	ui_windows_free();
	if (ui_screen != NULL) {
		delscreen(ui_screen);
		ui_screen = NULL;
	}
	free(ui_clip);
	ui_clip = NULL;
}

/* Pick up a new terminal size (after SIGWINCH) and relayout. */
void
ui_resize(void)
{
	struct winsize	ws;

	if (!ui.started)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_layout();
}

/* (Re)create the windows for the current size. */
void
ui_layout(void)
{
	ui_windows_free();
	ui.lines = LINES;
	ui.cols = COLS;
	ui.too_small = ui.cols < UI_MIN_COLS || ui.lines < UI_MIN_LINES;
	werase(stdscr);
	wnoutrefresh(stdscr);
	clearok(curscr, TRUE);
	if (ui.too_small)
		return;
	ui.head = newwin(2, ui.cols, 0, 0);
	ui.body = newwin(ui.lines - 4, ui.cols, 2, 0);
	ui.status = newwin(1, ui.cols, ui.lines - 2, 0);
	ui.foot = newwin(1, ui.cols, ui.lines - 1, 0);
	if (ui.head == NULL || ui.body == NULL || ui.status == NULL ||
	    ui.foot == NULL)
		fatalx("cannot create windows");
}

/* The one message shown below the minimum size. */
void
ui_too_small(void)
{
	char	msg[128], need[64];
	int	y;

	werase(stdscr);
	snprintf(msg, sizeof msg, "terminal too small: %dx%d", COLS, LINES);
	snprintf(need, sizeof need, "berth needs %dx%d", UI_MIN_COLS,
	    UI_MIN_LINES);
	y = LINES / 2 - 1;
	if (COLS >= ui_width(msg) + ui_width(need) + 2) {	/* one line */
		strlcat(msg, ", ", sizeof msg);
		strlcat(msg, need, sizeof msg);
		need[0] = '\0';
		y++;
	}
	ui_text(stdscr, y, 0, COLS, msg, UI_NORMAL, UI_CENTRE);
	if (need[0] != '\0' && ++y < LINES)
		ui_text(stdscr, y, 0, COLS, need, UI_NORMAL, UI_CENTRE);
	if (y + 1 < LINES)
		ui_text(stdscr, y + 1, 0, COLS, "enlarge it, or press q to "
		    "quit", UI_NORMAL, UI_CENTRE);
	wnoutrefresh(stdscr);
}

/* Ctrl-L: repaint the whole terminal at the next update. */
void
ui_redraw(void)
{
	clearok(curscr, TRUE);
}

/* One flush per turn: the caller draws dirty windows, then this. */
void
ui_flush(void)
{
	WINDOW	*w[] = { ui.head, ui.body, ui.status, ui.foot };
	size_t	 i;

	if (ui.too_small)
		return;
	for (i = 0; i < nitems(w); i++)
		wnoutrefresh(w[i]);
}

/* Overlays (dialogs, forms) are refreshed after the base windows. */
void
ui_flush_overlay(WINDOW *w)
{
	touchwin(w);
	wnoutrefresh(w);
}

void
ui_flush_done(void)
{
	ssize_t	n;
	size_t	off, len;

	doupdate();
	if (ui_clip == NULL)
		return;
	len = strlen(ui_clip);
	for (off = 0; off < len; off += (size_t)n) {
		n = write(STDOUT_FILENO, ui_clip + off, len - off);
		if (n <= 0)
			break;
	}
	free(ui_clip);
	ui_clip = NULL;
}

attr_t
ui_attr(enum ui_role r)
{
	if (r >= UI_NROLES)
		r = UI_NORMAL;
	if (ui.mono)
		return (ui_roles[r].mono);
	return (ui_roles[r].attr | COLOR_PAIR(r + 1));
}

const char *
ui_ellipsis(void)
{
	return (ui.utf8 ? "\342\200\246" : "~");
}

/* Width of one character, unprintables (already escaped) count 1. */
static int
ui_wcw(wchar_t wc)
{
	int	w;

	w = wcwidth(wc);
	return (w < 0 ? 1 : w);
}

/*
 * Sanitise src and fit it into width columns; caller frees. *used gets
 * the width of the result.
 */
char *
ui_fit(const char *src, int width, int *used)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	char		*s, *out;
	size_t		 len, n, off, cut;
	int		 w, cw, ew, total;

	s = san_str(src);
	len = strlen(s);
	ew = 1;		/* the ellipsis is one column in both forms */
	total = 0;
	cut = 0;
	w = 0;
	memset(&ps, 0, sizeof ps);
	for (off = 0; off < len; off += n) {
		n = mbrtowc(&wc, s + off, len - off, &ps);
		if (n == 0 || n > len - off) {
			n = 1;
			wc = L'?';
			memset(&ps, 0, sizeof ps);
		}
		cw = ui_wcw(wc);
		if (total + cw <= width - ew)
			cut = off + n, w = total + cw;
		total += cw;
	}
	if (width <= 0) {
		*used = 0;
		free(s);
		return (xstrdup(""));
	}
	if (total <= width) {
		*used = total;
		return (s);
	}
	xasprintf(&out, "%.*s%s", (int)cut, s, ui_ellipsis());
	*used = w + ew;
	free(s);
	return (out);
}

/*
 * Continuation indent for a wrapped line: the column after the last run of
 * two or more blanks in its first half (a table-like line such as a probe
 * rung continues under its text), else its leading blanks.
 */
static int
ui_wrap_indent(const char *s, int width)
{
	int	i, ind;

	for (ind = 0; s[ind] == ' '; ind++)
		;
	for (i = ind; s[i] != '\0' && (u_char)s[i] < 0x80 &&
	    i < width / 2; i++) {
		if (i > 1 && s[i] != ' ' && s[i - 1] == ' ' && s[i - 2] == ' ')
			ind = i;
	}
	return (ind < width / 2 ? ind : 0);
}

/*
 * Sanitise src and wrap it into lines of at most width columns, at blanks
 * where it can; continuation lines start with ui_wrap_indent() blanks.
 * Returns a NULL-terminated array, *np lines; caller frees all.
 */
char **
ui_wrap(const char *src, int width, size_t *np)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	char		*s, **v = NULL;
	size_t		 len, off, n, start, brk, nv = 0;
	int		 col, cw, ind;

	s = san_str(src);
	len = strlen(s);
	ind = ui_wrap_indent(s, width);
	start = brk = 0;
	col = 0;
	memset(&ps, 0, sizeof ps);
	for (off = 0; off <= len; off += n) {
		n = 1;
		if (off < len && ((n = mbrtowc(&wc, s + off, len - off,
		    &ps)) == 0 || n > len - off)) {
			n = 1;
			wc = L'?';
			memset(&ps, 0, sizeof ps);
		}
		cw = off < len ? ui_wcw(wc) : 0;
		if (off > start && s[off] == ' ' && s[off - 1] != ' ')
			brk = off;
		if (off < len && (col + cw <= width || off == start)) {
			col += cw;
			continue;
		}
		if (off < len && brk > start)
			off = brk;
		v = xreallocarray(v, nv + 2, sizeof *v);
		xasprintf(&v[nv], "%*s%.*s", nv > 0 ? ind : 0, "",
		    (int)(off - start), s + start);
		nv++;
		while (off < len && s[off] == ' ')
			off++;
		if (off >= len)
			break;
		start = off;
		brk = 0;
		col = ind;
		n = 0;
		memset(&ps, 0, sizeof ps);
	}
	v[nv] = NULL;
	free(s);
	*np = nv;
	return (v);
}

int
ui_width(const char *src)
{
	char	*s;
	int	 used;

	s = ui_fit(src, 1 << 20, &used);
	free(s);
	return (used);
}

/* Put n blanks in role's attributes. */
static void
ui_spaces(WINDOW *w, int n)
{
	while (n-- > 0)
		waddch(w, ' ');
}

int
ui_text(WINDOW *w, int y, int x, int width, const char *src,
    enum ui_role role, enum ui_align align)
{
	char	*s;
	int	 used, pad, maxx;

	if (w == NULL || y < 0 || y >= getmaxy(w))
		return (0);
	maxx = getmaxx(w);
	if (x >= maxx || width <= 0)
		return (0);
	if (x + width > maxx)
		width = maxx - x;
	s = ui_fit(src, width, &used);
	pad = width - used;
	wattrset(w, ui_attr(role));
	wmove(w, y, x);
	if (align == UI_RIGHT)
		ui_spaces(w, pad);
	else if (align == UI_CENTRE)
		ui_spaces(w, pad / 2);
	waddstr(w, s);
	if (align == UI_LEFT)
		ui_spaces(w, pad);
	else if (align == UI_CENTRE)
		ui_spaces(w, pad - pad / 2);
	wattrset(w, A_NORMAL);
	free(s);
	return (used);
}

int
ui_textf(WINDOW *w, int y, int x, int width, enum ui_role role,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 used;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		fatalx("out of memory");
	va_end(ap);
	used = ui_text(w, y, x, width, s, role, UI_LEFT);
	free(s);
	return (used);
}

void
ui_blank(WINDOW *w, int y, int x, int width, enum ui_role role)
{
	ui_text(w, y, x, width, "", role, UI_LEFT);
}

void
ui_hline(WINDOW *w, int y, int x, int width, enum ui_role role)
{
	int	i, maxx;

	if (w == NULL || y < 0 || y >= getmaxy(w))
		return;
	maxx = getmaxx(w);
	wattrset(w, ui_attr(role));
	wmove(w, y, x);
	for (i = 0; i < width && x + i < maxx; i++)
		waddstr(w, ui.utf8 ? "\342\224\200" : "-");
	wattrset(w, A_NORMAL);
}

void
ui_box(WINDOW *w, enum ui_role role)
{
	const char	*v, *tl, *tr, *bl, *br;
	int		 y, h, wd;

	h = getmaxy(w);
	wd = getmaxx(w);
	v = ui.utf8 ? "\342\224\202" : "|";
	tl = ui.utf8 ? "\342\224\214" : "+";
	tr = ui.utf8 ? "\342\224\220" : "+";
	bl = ui.utf8 ? "\342\224\224" : "+";
	br = ui.utf8 ? "\342\224\230" : "+";
	wattrset(w, ui_attr(role));
	mvwaddstr(w, 0, 0, tl);
	ui_hline(w, 0, 1, wd - 2, role);
	wattrset(w, ui_attr(role));
	mvwaddstr(w, 0, wd - 1, tr);
	for (y = 1; y < h - 1; y++) {
		mvwaddstr(w, y, 0, v);
		mvwaddstr(w, y, wd - 1, v);
	}
	mvwaddstr(w, h - 1, 0, bl);
	ui_hline(w, h - 1, 1, wd - 2, role);
	wattrset(w, ui_attr(role));
	mvwaddstr(w, h - 1, wd - 1, br);
	wattrset(w, A_NORMAL);
}

void
ui_erase(WINDOW *w, enum ui_role role)
{
	wbkgdset(w, ' ' | ui_attr(role));
	werase(w);
}

void
ui_cursor(WINDOW *w, int y, int x)
{
	wmove(w, y, x);
	curs_set(1);
	leaveok(w, FALSE);
}

void
ui_nocursor(void)
{
	curs_set(0);
}

/*
 * OSC 52: set the clipboard of the terminal (over ssh too). Inside tmux,
 * the plain sequence works with set-clipboard on; the DCS-wrapped copy
 * reaches the outer terminal when allow-passthrough is on.
 */
void
ui_clipboard(const char *val)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)val;
	size_t			 len, i, o;
	char			*enc, *seq;
	unsigned int		 v;

	len = strlen(val);
	enc = xmalloc(len / 3 * 4 + 5);
	for (i = 0, o = 0; i < len; i += 3) {
		v = (unsigned int)p[i] << 16;
		if (i + 1 < len)
			v |= (unsigned int)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		enc[o++] = b64[(v >> 18) & 63];
		enc[o++] = b64[(v >> 12) & 63];
		enc[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		enc[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	enc[o] = '\0';
	if (getenv("TMUX") != NULL)
		xasprintf(&seq, "\033]52;c;%s\a\033Ptmux;\033\033]52;c;%s\a"
		    "\033\\", enc, enc);
	else
		xasprintf(&seq, "\033]52;c;%s\a", enc);
	free(enc);
	free(ui_clip);
	ui_clip = seq;
}

static WINDOW	*ui_overlays[8];
static size_t	 ui_noverlays;

/*
 * A window of h x w centred on the screen (clamped to it), drawn and
 * refreshed by a modal during this render; freed by ui_overlays_free().
 */
WINDOW *
ui_overlay(int h, int w)
{
	WINDOW	*win;

	if (h > ui.lines)
		h = ui.lines;
	if (w > ui.cols)
		w = ui.cols;
	if (ui_noverlays == nitems(ui_overlays))
		fatalx("too many overlays");
	win = newwin(h, w, (ui.lines - h) / 2, (ui.cols - w) / 2);
	if (win == NULL)
		fatalx("cannot create a window");
	ui_overlays[ui_noverlays++] = win;
	return (win);
}

void
ui_overlays_free(void)
{
	while (ui_noverlays > 0)
		delwin(ui_overlays[--ui_noverlays]);
}

/* A box title: " title " on the top border, fitted. */
void
ui_title(WINDOW *w, const char *title)
{
	char	*t;
	int	 width;

	xasprintf(&t, " %s ", title);
	width = ui_width(t);
	if (width > getmaxx(w) - 4)
		width = getmaxx(w) - 4;
	ui_text(w, 0, 2, width, t, UI_TITLE, UI_LEFT);
	free(t);
}
