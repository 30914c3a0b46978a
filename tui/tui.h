/*
 * tui.h: the console framework shared by screens and widgets (private to
 * tui/). A screen is declared with struct screen_ops (columns, keys, a
 * loader, an optional live-refresh rule) and listed in screens.c; the
 * console keeps a stack of screens, routes keys (modal, screen keys, then
 * global keys), and renders once per loop turn when something is dirty.
 *
 * Adding a screen: write tui/screen-NAME.c defining
 *	const struct screen_ops screen_NAME_ops = { .name = "NAME", ... };
 * add "_(NAME)" to SCREENS in screens.c and the file to tui/local.mk.
 * A key bound to ACTION_SCREEN_<X> opens the screen whose .name is that
 * action's name; ":NAME" at the prompt opens any listed screen.
 * enter() allocates s->data; load() starts requests with &s->owner and
 * calls screen_loaded(s, err) once they are all in (after filling the
 * table with table_set_rows()); leave() frees s->data (the console has
 * already cancelled the requests). Actions come in through action();
 * return ACT_PASS for what the console should handle (movement, sort,
 * filter, copy...). Mutating actions carry ACTF_MUTATES in ACTIONS
 * (keymap.h) and are refused in read-only mode before action() runs.
 */
#ifndef BERTH_TUI_TUI_H
#define BERTH_TUI_TUI_H

#include <stddef.h>
#include <sys/queue.h>

#include <curses.h>

#include "berth/http.h"
#include "keymap.h"
#include "ui.h"

struct berr;
struct console;
struct screen;
struct secret;
struct session;
struct loop_timer;

/* Results of key and action handlers. */
#define ACT_PASS	0x0	/* not handled: fall through to the defaults */
#define ACT_DONE	0x1	/* handled */
#define ACT_REDRAW	0x2	/* handled, and the body changed */

/* --- table widget (widget-table.c) ----------------------------------- */

/* Raw cell text of row (untrusted is fine: drawing sanitises). */
typedef const char *(*column_cell_cb)(const void *row, char *buf, size_t len);
typedef int	(*column_cmp_cb)(const void *, const void *);
typedef enum ui_role (*column_role_cb)(const void *row);

struct column {
	const char	*title;		/* NULL ends the table */
	int		 width;		/* wanted width in columns */
	int		 flex;		/* share of the spare columns */
	int		 drop;		/* too narrow: hidden, highest first;
					   0: always shown */
	enum ui_align	 align;
	column_cell_cb	 cell;
	column_cmp_cb	 cmp;		/* NULL: compare the cell texts */
	column_role_cb	 role;		/* NULL: UI_NORMAL */
};

#define TABLE_FILTER_MAX 256
#define TABLE_MAXCOLS	32

/*
 * Rows are borrowed pointers (the screen owns the objects); the table
 * keeps an index array of the shown rows (filtered, then sorted), so
 * 100,000 rows sort and filter without copying, and only visible rows
 * are drawn.
 */
struct table {
	const struct column	*cols;
	int			 ncols;
	const void		**rows;		/* owned array, borrowed rows */
	size_t			 nrows;
	size_t			*idx;		/* shown rows, indexes in rows */
	size_t			 nidx;
	unsigned char		*marks;		/* per row */
	size_t			 nmarked;
	size_t			 cur;		/* selected, index in idx */
	size_t			 top;		/* first shown, index in idx */
	int			 sortcol;	/* -1: load order */
	int			 desc;
	char			 filter[TABLE_FILTER_MAX]; /* "!" inverts */
	int			 height;	/* rows in the last draw */
	unsigned char		 hidden[TABLE_MAXCOLS]; /* dropped in it */
	const char		*empty;		/* shown when no rows */
	const char		*(*row_name)(const void *);
};

void		 table_init(struct table *, const struct column *,
		     const char *(*)(const void *));
void		 table_clear(struct table *);
/* Replace the rows (copied array); keeps the selection by row name. */
void		 table_set_rows(struct table *, void *const *, size_t);
void		 table_set_filter(struct table *, const char *);
void		 table_sort(struct table *, int, int);
const void	*table_selected(const struct table *);
/* Marked rows in shown order, or the selected one if none are marked. */
size_t		 table_targets(const struct table *, const void ***);
int		 table_action(struct table *, enum action);
void		 table_draw(struct table *, WINDOW *, int, int);

/* --- screens ------------------------------------------------------- */

struct screen_ops {
	const char		*name;		/* "registries": :open NAME */
	const char		*title;		/* "Registries": crumbs */
	const struct column	*columns;	/* NULL: no table */
	const struct keybind	*keys;		/* before the global keys */
	const char		*(*row_name)(const void *); /* completion */
	unsigned int		 live_ms;	/* poll interval when visible */
	/* Allocate s->data; the console calls load right after. */
	void			(*enter)(struct screen *);
	/* Start the requests that fill the screen (also Ctrl-R, live). */
	void			(*load)(struct screen *);
	/* Free s->data; the screen's requests are already cancelled. */
	void			(*leave)(struct screen *);
	/* Screen-specific actions: ACT_* flags; never draws. */
	int			(*action)(struct screen *, enum action);
	/* Draw above the table (or the whole body); returns lines used. */
	int			(*draw)(struct screen *, WINDOW *, int, int);
	/* Value to copy with y (NULL: the selected row's name). */
	const char		*(*copy)(struct screen *);
	/* 0 when a live screen reached a terminal state (stop polling). */
	int			(*live)(struct screen *);
};

struct screen {
	const struct screen_ops	*ops;
	struct console		*con;
	struct req_owner	 owner;		/* the screen's requests */
	struct table		 table;		/* if ops->columns */
	void			*data;		/* the screen's own state */
	char			*arg;		/* what it shows, or NULL */
	int			 loaded;	/* a load has completed */
	int			 loads;		/* loads completed */
	struct loop_timer	*live_timer;
	unsigned int		 live_ms;	/* current, with backoff */
	TAILQ_ENTRY(screen)	 entry;
};

/* The screens known to the console (screens.c), NULL-terminated. */
extern const struct screen_ops *const screen_list[];
const struct screen_ops *screen_find(const char *);

/* Called by a screen when its load finished (err NULL: success). */
void		 screen_loaded(struct screen *, const struct berr *);
struct session	*screen_session(struct screen *);
struct screen	*screen_below(struct screen *);	/* NULL at the bottom */
void		 screen_dirty(struct screen *);

/* --- console ------------------------------------------------------- */

struct screen	*console_push(struct console *, const struct screen_ops *,
		     const char *);
void		 console_pop(struct console *);
void		 console_dirty(struct console *);
/* Status line: a result, or an error (kept until the next key). */
void		 console_info(struct console *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 console_error(struct console *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 console_read_only(struct console *);
/* 1 (and says so) when action what may not run in read-only mode. */
int		 console_refuse(struct console *, const char *);
void		 console_copy(struct console *, const char *);
struct session	*console_session(struct console *);

/* --- modals: prompts, dialogs, forms on top of the screen ---------- */

#define MODAL_KEEP	0
#define MODAL_CLOSE	1

struct modal_ops {
	int	(*key)(void *, int);		/* MODAL_KEEP or MODAL_CLOSE */
	void	(*draw)(void *);		/* draws after the base windows */
	void	(*free)(void *);
};

void		 console_modal(struct console *, const struct modal_ops *,
		     void *);

/* Line editor used by the prompt, the filter and form fields. */
#define LINE_MAX_BYTES 1024
struct lineedit {
	char	buf[LINE_MAX_BYTES];
	size_t	len;
	size_t	pos;			/* byte offset of the cursor */
	int	secret;			/* draw as bullets */
};
void	 line_set(struct lineedit *, const char *);
/* 1 if the key edited the line, 0 if it is not an editing key. */
int	 line_key(struct lineedit *, int);
/* Draw in width columns at (y, x); places the cursor when focused. */
void	 line_draw(struct lineedit *, WINDOW *, int, int, int, enum ui_role,
	     int);
void	 line_wipe(struct lineedit *);

/* --- dialogs (widget-dialog.c) -------------------------------------- */

typedef void (*dialog_cb)(int ok, void *arg);
void	 dialog_message(struct console *, const char *, const char *);
/* Focus starts on Cancel; cb(1) only for the confirm button. */
void	 dialog_confirm(struct console *, const char *, const char *,
	     const char *, dialog_cb, void *);
/* Confirm by typing name exactly (deletes). */
void	 dialog_confirm_name(struct console *, const char *, const char *,
	     const char *, dialog_cb, void *);

/* --- forms (widget-form.c) ------------------------------------------ */

enum field_kind {
	FIELD_TEXT,	/* char * (owned) */
	FIELD_SECRET,	/* struct secret * (owned), never shown */
	FIELD_TOGGLE,	/* int 0/1 */
	FIELD_CHOICE,	/* int index into choices */
	FIELD_NUMBER,	/* long long, in the smallest unit */
	FIELD_CRON	/* char * (owned), Harbor's 6-field cron */
};

struct field_unit {
	const char	*suffix;	/* "s", "m", "MiB" ... */
	long long	 mult;
};

/* Validate the field's text; return NULL or an error message (static). */
typedef const char *(*field_check_cb)(const char *, void *obj);

struct field {
	const char		*label;		/* NULL ends the form */
	enum field_kind		 kind;
	size_t			 offset;	/* offsetof() in the object */
	int			 required;
	const char *const	*choices;	/* FIELD_CHOICE, NULL-ended */
	const struct field_unit	*units;		/* FIELD_NUMBER, {NULL}-ended */
	long long		 min, max;	/* FIELD_NUMBER, when min < max */
	field_check_cb		 check;
	const char		*hint;		/* shown when focused */
};

struct form;
/*
 * Submit: the values are stored into obj, then cb runs. It returns 0 when
 * it started (the form waits: form_done() closes it, form_fail() keeps the
 * input and shows the message), or -1 with a message set by form_fail().
 */
typedef int (*form_submit_cb)(struct form *, void *obj, void *arg);

struct form	*form_open(struct console *, const char *,
		     const struct field *, void *, form_submit_cb, void *);
void		 form_done(struct form *);
void		 form_fail(struct form *, const char *, const char *);
/* Parse "90s", "5m", "2 GiB" with the field's units; -1 and a reason. */
int		 form_parse_number(const struct field *, const char *,
		     long long *, const char **);
const char	*form_check_cron(const char *);

#endif
