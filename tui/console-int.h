/*
 * console-int.h: the console's own state, shared by console.c,
 * console-draw.c, widget-prompt.c and screen-help.c. Screens use tui.h.
 */
#ifndef BERTH_TUI_CONSOLE_INT_H
#define BERTH_TUI_CONSOLE_INT_H

#include "tui.h"

struct systeminfo;
struct user;

TAILQ_HEAD(screen_stack, screen);

struct console_modal {
	const struct modal_ops	*ops;
	void			*arg;
};

struct console {
	struct session		*sess;		/* borrowed */
	struct loop		*loop;		/* the session's */
	struct screen_stack	 stack;		/* bottom first */
	int			 nscreens;
	struct console_modal	 modals[8];	/* top last */
	size_t			 nmodals;
	int			 dirty;		/* render this turn */
	int			 quit;
	char			 status[1024];	/* until the next key */
	enum ui_role		 status_role;
	struct req_owner	 owner;		/* header requests */
	struct systeminfo	*sysinfo;	/* version */
	struct user		*user;		/* admin badge */
	int			 spin;		/* spinner frame */
	int			 was_busy;
	struct loop_timer	*spin_timer;	/* only while busy */
	int			 sigpipe[2];
	char			*pending;	/* ':' line to run */
	const char		*running;	/* ':' line running now */
	int			 typeahead[32];	/* keys typed meanwhile */
	size_t			 ntypeahead;
	int			 pasting;	/* inside a bracketed paste */
	int			 paste_dropped;	/* chars of it dropped */
	char			*idle_path;	/* BERTH_TEST_IDLE */
	unsigned int		 idle_count;
};

enum prompt_kind {
	PROMPT_COMMAND,
	PROMPT_FILTER
};

extern const struct screen_ops screen_help_ops;

void	console_key(struct console *, int);
void	console_run_later(struct console *, const char *);
void	console_modal_close(struct console *, void *);
void	console_header_load(struct console *);
void	console_header_reset(struct console *);
int	console_busy(struct console *);

/* 1 if ops is that widget's and a text input of it has focus (paste). */
int	prompt_text_focus(const struct modal_ops *, void *);
int	form_text_focus(const struct modal_ops *, void *);
int	dialog_text_focus(const struct modal_ops *, void *);

void	prompt_open(struct console *, enum prompt_kind);
/* Completion candidates for a prompt line (exported for tests). */
char	**prompt_complete(struct console *, const char *, size_t *);

void	draw_head(struct console *);
void	draw_body(struct console *);
void	draw_status(struct console *);
void	draw_foot(struct console *);
void	draw_crumbs(struct console *);

#endif
