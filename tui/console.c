/*
 * console.c: the console's frame. One loop (the session's): stdin and a
 * signal self-pipe are fds on it, rendering is its flush hook, and the
 * BERTH_TEST_IDLE counter its idle hook. Keeps the screen stack, routes
 * keys (modal, screen keys, global keys) to actions, runs ':' commands
 * outside loop callbacks (cancellable with Esc), and always restores the
 * terminal.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/console.h"
#include "berth/harbor.h"
#include "berth/loop.h"
#include "berth/model.h"
#include "berth/session.h"
#include "berth/xmalloc.h"
#include "console-int.h"

#define CONSOLE_SPIN_MS	120

static int		 console_sigfd = -1;	/* self-pipe, write end */
static struct loop	*console_sigloop;

static void	 console_render(struct console *);
static void	 console_flush(void *);
static void	 console_idle(void *);
static void	 console_action(struct console *, struct screen *,
		     enum action);

/* --- signals ------------------------------------------------------- */

static void
console_sig(int sig)
{
	unsigned char	c = (unsigned char)sig;
	int		saved = errno;

	if (console_sigfd != -1)
		(void)write(console_sigfd, &c, 1);
	if (console_sigloop != NULL)
		loop_wakeup(console_sigloop);
	errno = saved;
}

/* SIGSEGV, SIGABRT...: restore the terminal (best effort), re-raise. */
static void
console_crash(int sig)
{
	ui_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
console_signals(struct console *con, int on)
{
	static const int	 sigs[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
	static const int	 crash[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on ? console_sig : SIG_DFL;
	sa.sa_flags = on ? SA_RESTART : 0;
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	if (getenv("BERTH_NO_CRASH_HANDLER") == NULL) {
		sa.sa_handler = on ? console_crash : SIG_DFL;
		sa.sa_flags = on ? SA_RESETHAND | SA_NODEFER : 0;
		for (i = 0; i < nitems(crash); i++)
			sigaction(crash[i], &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	console_sigfd = on ? con->sigpipe[1] : -1;
	console_sigloop = on ? con->loop : NULL;
}

static void
console_sigread(int fd, void *arg)
{
	struct console	*con = arg;
	unsigned char	 buf[64];
	ssize_t		 n, i;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH) {
				ui_resize();
				con->dirty = 1;
			} else {
				con->quit = 1;
				loop_quit(con->loop);
			}
		}
	}
}

/* --- input --------------------------------------------------------- */

static int
console_keycode(int r, wint_t wc)
{
	if (r == KEY_CODE_YES) {
		if (wc == KEY_RESIZE)
			return (0);
		return (KEYC_FN | (int)wc);
	}
	if (wc == '\n')
		return (KEYC_ENTER);
	if (wc == 0x7f || wc == 0x08)
		return (KEYC_FN | KEY_BACKSPACE);
	return ((int)wc);
}

/*
 * A key while a ':' command runs (its nested waits still turn the loop):
 * Esc or Ctrl-C cancels it; other keys wait until it is over.
 */
static void
console_key_running(struct console *con, int key)
{
	if (key == KEYC_ESC || key == KEYC_CTRL('c')) {
		con->ntypeahead = 0;
		if (!loop_interrupted(con->loop)) {
			loop_interrupt(con->loop);
			con->dirty = 1;
		}
		return;
	}
	if (con->ntypeahead < nitems(con->typeahead))
		con->typeahead[con->ntypeahead++] = key;
}

/* Does the top modal have a text input with focus (prompt, field...)? */
static int
console_text_focus(struct console *con)
{
	const struct console_modal	*m;

	if (con->nmodals == 0)
		return (0);
	m = &con->modals[con->nmodals - 1];
	return (prompt_text_focus(m->ops, m->arg) ||
	    form_text_focus(m->ops, m->arg) ||
	    dialog_text_focus(m->ops, m->arg));
}

/*
 * Bracketed paste: the markers come as our own curses keys. Inside a
 * paste, characters only reach a focused text input, never actions;
 * control keys (Enter, Esc, Tab...) are dropped so a paste cannot
 * submit or cancel. Returns 1 if the key was taken here.
 */
static int
console_paste(struct console *con, int r, wint_t wc, int key)
{
	if (r == KEY_CODE_YES && wc == UI_KEY_PASTE_BEGIN) {
		con->pasting = 1;
		con->paste_dropped = 0;
		con->status[0] = '\0';		/* a stale "paste ignored" */
		con->dirty = 1;
		return (1);
	}
	if (r == KEY_CODE_YES && wc == UI_KEY_PASTE_END) {
		con->pasting = 0;
		if (con->paste_dropped)
			console_error(con, "paste ignored: no text field has "
			    "focus");
		con->paste_dropped = 0;
		return (1);
	}
	if (!con->pasting)
		return (0);
	if ((key & KEYC_FN) || key < 0x20 || key == 0x7f)
		return (1);
	if (con->running == NULL && console_text_focus(con))
		console_key(con, key);
	else
		con->paste_dropped = 1;
	return (1);
}

static void
console_stdin(int fd, void *arg)
{
	struct console	*con = arg;
	wint_t		 wc;
	int		 r, key;

	if (!ui.started)
		return;
	while ((r = wget_wch(stdscr, &wc)) != ERR) {
		key = r == KEY_CODE_YES && (wc == UI_KEY_PASTE_BEGIN ||
		    wc == UI_KEY_PASTE_END) ? -1 : console_keycode(r, wc);
		if (key == 0)
			continue;
		if (console_paste(con, r, wc, key))
			continue;
		if (con->running != NULL) {
			console_key_running(con, key);
			continue;
		}
		console_key(con, key);
		if (con->quit || con->pending != NULL)
			break;
	}
}

/* --- status line --------------------------------------------------- */

static void __attribute__((format(printf, 3, 0)))
console_vstatus(struct console *con, enum ui_role role, const char *fmt,
    va_list ap)
{
	vsnprintf(con->status, sizeof con->status, fmt, ap);
	con->status_role = role;
	con->dirty = 1;
}

void
console_info(struct console *con, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	console_vstatus(con, UI_STATUS_OK, fmt, ap);
	va_end(ap);
}

void
console_error(struct console *con, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	console_vstatus(con, UI_STATUS_ERR, fmt, ap);
	va_end(ap);
}

void
console_dirty(struct console *con)
{
	con->dirty = 1;
}

struct session *
console_session(struct console *con)
{
	return (con->sess);
}

int
console_read_only(struct console *con)
{
	return (con->sess != NULL && con->sess->read_only);
}

int
console_refuse(struct console *con, const char *what)
{
	if (!console_read_only(con))
		return (0);
	console_error(con, "read-only: \"%s\" is disabled (context %s is "
	    "read-only)", what, con->sess->ctx.name != NULL ?
	    con->sess->ctx.name : "(unnamed)");
	return (1);
}

/* Copy to the clipboard and show the value. */
void
console_copy(struct console *con, const char *val)
{
	if (val == NULL || *val == '\0') {
		console_error(con, "nothing to copy here");
		return;
	}
	ui_clipboard(val);
	console_info(con, "copied: %s", val);
}

/* --- screens ------------------------------------------------------- */

struct session *
screen_session(struct screen *s)
{
	return (s->con->sess);
}

struct screen *
screen_below(struct screen *s)
{
	return (TAILQ_PREV(s, screen_stack, entry));
}

void
screen_dirty(struct screen *s)
{
	s->con->dirty = 1;
}

static struct screen *
console_top(struct console *con)
{
	return (TAILQ_LAST(&con->stack, screen_stack));
}

static void
screen_cancel(struct screen *s)
{
	struct session	*sess = s->con->sess;

	if (sess != NULL && sess->harbor != NULL)
		harbor_cancel(sess->harbor, &s->owner);
	else
		req_owner_cancel(&s->owner);
}

static void
screen_live_stop(struct screen *s)
{
	if (s->live_timer != NULL) {
		loop_timer_cancel(s->con->loop, s->live_timer);
		s->live_timer = NULL;
	}
}

/* Start (or restart) the screen's loader. */
static void
screen_load(struct screen *s)
{
	screen_live_stop(s);
	if (req_owner_busy(&s->owner))
		screen_cancel(s);
	if (s->ops->load != NULL) {
		if (s->con->sess == NULL || s->con->sess->harbor == NULL) {
			console_error(s->con, "not connected");
			return;
		}
		s->ops->load(s);
	}
	s->con->dirty = 1;
}

static void
screen_live_fire(void *arg)
{
	struct screen	*s = arg;

	s->live_timer = NULL;
	screen_load(s);
}

/* Arm the live timer if the screen is live, on top and not finished. */
static void
screen_live_arm(struct screen *s)
{
	if (s->ops->live_ms == 0 || s->live_timer != NULL ||
	    console_top(s->con) != s || req_owner_busy(&s->owner))
		return;
	if (s->ops->live != NULL && !s->ops->live(s))
		return;
	if (s->live_ms == 0)
		s->live_ms = s->ops->live_ms;
	s->live_timer = loop_timer_add(s->con->loop, s->live_ms,
	    screen_live_fire, s);
}

/*
 * The screen's load finished: show an error (keeping the last good data),
 * back off a live screen on errors, and re-arm its timer.
 */
void
screen_loaded(struct screen *s, const struct berr *err)
{
	s->loaded = 1;
	s->loads++;
	if (err != NULL) {
		console_error(s->con, "%s", err->msg);
		s->live_ms = s->live_ms == 0 ? s->ops->live_ms : s->live_ms * 2;
		if (s->live_ms > 30000)
			s->live_ms = 30000;
	} else
		s->live_ms = s->ops->live_ms;
	screen_live_arm(s);
	s->con->dirty = 1;
}

struct screen *
console_push(struct console *con, const struct screen_ops *ops,
    const char *arg)
{
	struct screen	*s, *below;

	if ((below = console_top(con)) != NULL)
		screen_live_stop(below);
	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->con = con;
	s->arg = arg != NULL ? xstrdup(arg) : NULL;
	req_owner_init(&s->owner);
	if (ops->columns != NULL)
		table_init(&s->table, ops->columns, ops->row_name);
	TAILQ_INSERT_TAIL(&con->stack, s, entry);
	con->nscreens++;
	if (ops->enter != NULL)
		ops->enter(s);
	screen_load(s);
	con->dirty = 1;
	return (s);
}

static void
screen_free(struct screen *s)
{
	screen_live_stop(s);
	screen_cancel(s);
	if (s->ops->leave != NULL)
		s->ops->leave(s);
	if (s->ops->columns != NULL)
		table_clear(&s->table);
	free(s->arg);
	free(s);
}

void
console_pop(struct console *con)
{
	struct screen	*s;

	if ((s = console_top(con)) == NULL)
		return;
	TAILQ_REMOVE(&con->stack, s, entry);
	con->nscreens--;
	screen_free(s);
	/* A live screen was not polled while covered: poll it now. */
	if ((s = console_top(con)) != NULL && s->ops->live_ms != 0 &&
	    !req_owner_busy(&s->owner) && (s->ops->live == NULL ||
	    s->ops->live(s)))
		screen_load(s);
	con->dirty = 1;
}

static void
console_pop_all(struct console *con)
{
	while (console_top(con) != NULL)
		console_pop(con);
}

/* --- modals -------------------------------------------------------- */

void
console_modal(struct console *con, const struct modal_ops *ops, void *arg)
{
	if (con->nmodals == nitems(con->modals))
		fatalx("too many dialogs");
	con->modals[con->nmodals].ops = ops;
	con->modals[con->nmodals].arg = arg;
	con->nmodals++;
	con->dirty = 1;
}

static void
console_modal_pop(struct console *con, void *arg)
{
	size_t	i;

	for (i = con->nmodals; i-- > 0;) {
		if (con->modals[i].arg != arg)
			continue;
		con->modals[i].ops->free(arg);
		memmove(&con->modals[i], &con->modals[i + 1],
		    (con->nmodals - i - 1) * sizeof con->modals[0]);
		con->nmodals--;
		break;
	}
	con->dirty = 1;
}

/* Close a modal from outside its key handler (form_done). */
void
console_modal_close(struct console *con, void *arg)
{
	console_modal_pop(con, arg);
}

/* --- keys and actions ---------------------------------------------- */

void
console_key(struct console *con, int key)
{
	struct screen	*s;
	enum action	 a;
	void		*arg;

	con->dirty = 1;
	if (con->nmodals > 0) {
		arg = con->modals[con->nmodals - 1].arg;
		if (con->modals[con->nmodals - 1].ops->key(arg, key) ==
		    MODAL_CLOSE)
			console_modal_pop(con, arg);
		return;
	}
	con->status[0] = '\0';
	if (ui.too_small) {
		if (key == 'q')
			console_action(con, console_top(con), ACTION_QUIT);
		return;
	}
	if ((s = console_top(con)) == NULL)
		return;
	a = keymap_find(s->ops->keys, key);
	if (a == ACTION_NONE)
		a = keymap_find(keymap_global, key);
	if (a != ACTION_NONE)
		console_action(con, s, a);
}

/* Esc: cancel the screen's requests; else clear the filter; else back. */
static void
console_back(struct console *con, struct screen *s)
{
	if (req_owner_busy(&s->owner)) {
		screen_cancel(s);
		console_info(con, "cancelled");
		return;
	}
	if (s->ops->columns != NULL && s->table.filter[0] != '\0') {
		table_set_filter(&s->table, "");
		return;
	}
	if (con->nscreens > 1)
		console_pop(con);
}

static void
console_open_screen(struct console *con, const char *name)
{
	const struct screen_ops	*ops;

	if ((ops = screen_find(name)) == NULL) {
		console_error(con, "%s: screen not built yet", name);
		return;
	}
	console_push(con, ops, NULL);
}

static void
console_copy_default(struct console *con, struct screen *s)
{
	const void	*row;

	if (s->ops->copy != NULL) {
		console_copy(con, s->ops->copy(s));
		return;
	}
	if (s->ops->columns != NULL && s->ops->row_name != NULL &&
	    (row = table_selected(&s->table)) != NULL) {
		console_copy(con, s->ops->row_name(row));
		return;
	}
	console_error(con, "nothing to copy here");
}

static void
console_action(struct console *con, struct screen *s, enum action a)
{
	int	r;

	if ((action_flags[a] & ACTF_MUTATES) && console_refuse(con,
	    action_name[a]))
		return;
	if ((action_flags[a] & ACTF_TABLE) && s->ops->columns == NULL &&
	    a != ACTION_OPEN)
		return;
	if (s->ops->action != NULL && (r = s->ops->action(s, a)) != ACT_PASS)
		return;
	switch (a) {
	case ACTION_QUIT:
		if (con->nscreens > 1)
			console_pop(con);
		else {
			con->quit = 1;
			loop_quit(con->loop);
		}
		return;
	case ACTION_BACK:
		console_back(con, s);
		return;
	case ACTION_HELP:
		console_push(con, &screen_help_ops, NULL);
		return;
	case ACTION_PROMPT:
		prompt_open(con, PROMPT_COMMAND);
		return;
	case ACTION_FILTER:
		prompt_open(con, PROMPT_FILTER);
		return;
	case ACTION_REFRESH:
		screen_load(s);	/* the status line shows the spinner */
		return;
	case ACTION_REDRAW:
		ui_redraw();
		return;
	case ACTION_COPY:
		console_copy_default(con, s);
		return;
	case ACTION_SCREEN_REGISTRIES:
	case ACTION_SCREEN_PROJECTS:
	case ACTION_SCREEN_REPLICATIONS:
		console_open_screen(con, action_name[a]);
		return;
	default:
		break;
	}
	if (s->ops->columns != NULL && table_action(&s->table, a) != ACT_PASS)
		return;
	if (a != ACTION_OPEN)
		console_error(con, "%s: not available on this screen",
		    action_name[a]);
}

/*
 * --- the ':' commands -------------------------------------------------
 *
 * A command of the shared table is synchronous: its *_sync calls run
 * nested loop turns (http_wait() and the like) until their requests are
 * in. So the console runs it from console_main(), between two turns,
 * never from a key callback: loop_once() is then never re-entered (a
 * nested turn inside the stdin callback would dispatch fds and timers
 * while the outer turn is still walking them, and could run a second
 * command inside the first). During those nested turns stdin, the
 * signal pipe, timers and the flush hook keep working: keys go to
 * console_key_running() (Esc cancels through loop_interrupt(), which
 * makes every nested wait give up), the spinner turns, SIGWINCH
 * relayouts and SIGTERM quits.
 */

void
console_run_later(struct console *con, const char *line)
{
	free(con->pending);
	con->pending = xstrdup(line);
}

/* Show a command's output: one line in the status line, else a dialog. */
static void
console_show_output(struct console *con, const char *line, char *buf,
    size_t len, int rc)
{
	char	*nl;

	while (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len == 0) {
		if (rc == 0)
			console_info(con, "%s: done", line);
		else
			console_error(con, "%s: failed", line);
		return;
	}
	nl = strchr(buf, '\n');
	if (nl == NULL && len < (size_t)ui.cols) {
		if (rc == 0)
			console_info(con, "%s", buf);
		else
			console_error(con, "%s", buf);
		return;
	}
	dialog_message(con, line, buf);
}

static void
console_run_cmd(struct console *con, const char *line, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct cmd_run		 run;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;
	int			 nw, rc, cancelled;

	if ((ce = cmd_find(argc, argv, &nw)) == NULL ||
	    (ce->flags & CMD_CLIONLY)) {
		console_error(con, "%s: unknown command (Tab completes)",
		    argv[0]);
		return;
	}
	if ((ce->flags & CMD_MUTATES) && console_refuse(con, ce->name))
		return;
	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	memset(&run, 0, sizeof run);
	run.session = con->sess;
	run.format = OUTPUT_TABLE;
	run.out = f;
	run.errf = f;
	run.console = 1;
	con->status[0] = '\0';
	con->running = line;		/* draw_status: spinner, Esc hint */
	con->ntypeahead = 0;
	console_flush(con);
	rc = cmd_run(&run, argc, argv);
	con->running = NULL;
	/* An Esc that came as the command finished changes nothing. */
	cancelled = loop_interrupted(con->loop) && rc != 0;
	loop_interrupt_clear(con->loop);
	fclose(f);
	con->status[0] = '\0';
	if (cancelled && (ce->flags & CMD_MUTATES))
		console_error(con, "%s: cancelled (Harbor may have applied "
		    "part of it: reloading)", line);
	else if (cancelled)
		console_error(con, "%s: cancelled", line);
	else
		console_show_output(con, line, buf, len, rc);
	free(buf);
	if ((rc == 0 || cancelled) && (ce->flags & CMD_MUTATES) &&
	    console_top(con) != NULL)
		screen_load(console_top(con));
}

/* Keys typed while the command ran, now that it is over. */
static void
console_typeahead(struct console *con)
{
	size_t	i, n;
	int	keys[nitems(con->typeahead)];

	n = con->ntypeahead;
	memcpy(keys, con->typeahead, n * sizeof keys[0]);
	con->ntypeahead = 0;
	for (i = 0; i < n && !con->quit && con->pending == NULL; i++)
		console_key(con, keys[i]);
}

static void
console_list_contexts(struct console *con)
{
	struct context	*ctx;
	char		 buf[1024];
	size_t		 off = 0;

	buf[0] = '\0';
	if (con->sess == NULL || con->sess->settings == NULL)
		return;
	TAILQ_FOREACH(ctx, &con->sess->settings->contexts, entry) {
		off += (size_t)snprintf(buf + off, off < sizeof buf ?
		    sizeof buf - off : 0, "%s%s", off > 0 ? " " : "",
		    ctx->name);
		if (off >= sizeof buf)
			break;
	}
	console_info(con, "context %s; contexts: %s", con->sess->ctx.name ?
	    con->sess->ctx.name : "(unnamed)", buf[0] ? buf : "(none)");
}

/* :ctx NAME: leave every screen, switch the session, start again. */
static void
console_switch(struct console *con, const char *name)
{
	struct berr	 err;
	struct context	*ctx;
	char		*old;
	int		 tty;

	ctx = settings_find(con->sess->settings, name);
	if (ctx == NULL) {
		console_error(con, "ctx: no context \"%s\"", name);
		return;
	}
	old = con->sess->ctx.name != NULL ? xstrdup(con->sess->ctx.name) :
	    NULL;
	console_pop_all(con);
	console_header_reset(con);
	tty = ctx->password_source == NULL ||
	    strcmp(ctx->password_source, "prompt") == 0;
	if (tty)
		ui_stop();	/* the password prompt needs the terminal */
	if (session_use(con->sess, name, &err) == -1) {
		if (tty)
			ui_resume();
		if (old != NULL)
			(void)session_use(con->sess, old, NULL);
		console_error(con, "ctx %s: %s", name, err.msg);
	} else {
		if (tty)
			ui_resume();
		console_info(con, "switched to context %s", name);
	}
	free(old);
	console_header_load(con);
	console_push(con, screen_list[0], NULL);
}

static void
console_run_pending(struct console *con)
{
	struct berr	  err;
	char		 *line, **argv;
	int		  argc;

	line = con->pending;
	con->pending = NULL;
	if (cmd_split(line, &argc, &argv, &err) == -1) {
		console_error(con, "%s", err.msg);
		free(line);
		return;
	}
	if (argc == 0)
		;
	else if (strcmp(argv[0], "q") == 0 || strcmp(argv[0], "quit") == 0) {
		con->quit = 1;
		loop_quit(con->loop);
	} else if (strcmp(argv[0], "ctx") == 0 && argc == 1)
		console_list_contexts(con);
	else if (strcmp(argv[0], "ctx") == 0 && argc == 2)
		console_switch(con, argv[1]);
	else if (strcmp(argv[0], "ctx") == 0)
		console_error(con, "usage: ctx [NAME]");
	else if (argc == 1 && strcmp(argv[0], "help") == 0)
		console_push(con, &screen_help_ops, NULL);
	else if (argc == 1 && screen_find(argv[0]) != NULL)
		console_push(con, screen_find(argv[0]), NULL);
	else
		console_run_cmd(con, line, argc, argv);
	cmd_argv_free(argv);
	free(line);
	con->dirty = 1;
}

/*
 * Run the pending ':' line between two loop turns (see above), then what
 * the keys typed meanwhile asked for, which may be another command.
 */
static void
console_commands(struct console *con)
{
	while (con->pending != NULL && !con->quit) {
		console_run_pending(con);
		console_typeahead(con);
		/* more keys may sit in curses' buffer */
		if (con->pending == NULL)
			console_stdin(STDIN_FILENO, con);
	}
	console_flush(con);
	if (loop_transfers(con->loop) == 0)
		console_idle(con);
}

/* --- header data (version, user) ----------------------------------- */

static void
console_sysinfo_cb(const struct berr *err, struct systeminfo *si, void *arg)
{
	struct console	*con = arg;

	if (err == NULL) {
		systeminfo_free(con->sysinfo);
		con->sysinfo = si;
	}
	con->dirty = 1;
}

static void
console_user_cb(const struct berr *err, struct user *u, void *arg)
{
	struct console	*con = arg;

	if (err == NULL) {
		user_free(con->user);
		con->user = u;
	}
	con->dirty = 1;
}

void
console_header_load(struct console *con)
{
	if (con->sess == NULL || con->sess->harbor == NULL)
		return;
	harbor_systeminfo(con->sess->harbor, &con->owner, console_sysinfo_cb,
	    con);
	if (harbor_user(con->sess->harbor) != NULL)
		harbor_current_user(con->sess->harbor, &con->owner,
		    console_user_cb, con);
}

void
console_header_reset(struct console *con)
{
	if (con->sess != NULL && con->sess->harbor != NULL)
		harbor_cancel(con->sess->harbor, &con->owner);
	else
		req_owner_cancel(&con->owner);
	systeminfo_free(con->sysinfo);
	user_free(con->user);
	con->sysinfo = NULL;
	con->user = NULL;
}

/* --- rendering ----------------------------------------------------- */

int
console_busy(struct console *con)
{
	struct screen	*s;

	if (con->running != NULL)
		return (1);
	s = console_top(con);
	return (s != NULL && req_owner_busy(&s->owner));
}

static void
console_spin(void *arg)
{
	struct console	*con = arg;

	con->spin_timer = NULL;
	con->spin++;
	con->dirty = 1;
}

static void
console_render(struct console *con)
{
	size_t	i;

	if (!ui.started)
		return;
	con->dirty = 0;
	if (ui.too_small) {
		ui_too_small();
		ui_flush_done();
		return;
	}
	draw_head(con);
	draw_body(con);
	draw_status(con);
	draw_foot(con);
	ui_flush();
	ui_nocursor();
	for (i = 0; i < con->nmodals; i++)
		con->modals[i].ops->draw(con->modals[i].arg);
	ui_flush_done();
	ui_overlays_free();
}

/* The loop's flush hook: animate the spinner while busy; draw if dirty. */
static void
console_flush(void *arg)
{
	struct console	*con = arg;
	int		 busy;

	busy = console_busy(con);
	if (busy != con->was_busy) {
		con->was_busy = busy;
		con->dirty = 1;
	}
	if (busy && con->spin_timer == NULL)
		con->spin_timer = loop_timer_add(con->loop, CONSOLE_SPIN_MS,
		    console_spin, con);
	if (!busy && con->spin_timer != NULL) {
		loop_timer_cancel(con->loop, con->spin_timer);
		con->spin_timer = NULL;
	}
	if (con->dirty)
		console_render(con);
}

/* The loop's idle hook: bump $BERTH_TEST_IDLE for the screen tests. */
static void
console_idle(void *arg)
{
	struct console	*con = arg;
	char		*tmp, buf[32];
	int		 fd, n;

	if (con->idle_path == NULL || con->dirty || con->pending != NULL ||
	    con->running != NULL)
		return;
	con->idle_count++;
	n = snprintf(buf, sizeof buf, "%u\n", con->idle_count);
	xasprintf(&tmp, "%s.tmp", con->idle_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd != -1) {
		if (write(fd, buf, (size_t)n) == n)
			(void)rename(tmp, con->idle_path);
		close(fd);
	}
	free(tmp);
}

/* --- setup and teardown -------------------------------------------- */

static void
console_fatal_hook(void)
{
	ui_stop();
}

static int
console_setup(struct console *con, struct session *sess)
{
	char		 why[256];
	const char	*idle;
	int		 i;

	memset(con, 0, sizeof *con);
	con->sess = sess;
	con->loop = sess->loop;
	TAILQ_INIT(&con->stack);
	req_owner_init(&con->owner);
	if ((idle = getenv("BERTH_TEST_IDLE")) != NULL && *idle != '\0')
		con->idle_path = xstrdup(idle);
	if (pipe(con->sigpipe) == -1)
		fatal("pipe");
	for (i = 0; i < 2; i++) {
		fcntl(con->sigpipe[i], F_SETFL, O_NONBLOCK);
		fcntl(con->sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	console_signals(con, 1);	/* before curses: ours, not its */
	fatal_add_hook(console_fatal_hook);
	if (ui_start(why, sizeof why) == -1) {
		console_signals(con, 0);
		fprintf(stderr, "berth: %s\n", why);
		return (-1);
	}
	loop_add_fd(con->loop, STDIN_FILENO, console_stdin, con);
	loop_add_fd(con->loop, con->sigpipe[0], console_sigread, con);
	loop_set_flush(con->loop, console_flush, con);
	loop_set_idle(con->loop, console_idle, con);
	return (0);
}

static void
console_teardown(struct console *con)
{
	console_pop_all(con);
	while (con->nmodals > 0)
		console_modal_pop(con, con->modals[con->nmodals - 1].arg);
	console_header_reset(con);
	if (con->spin_timer != NULL)
		loop_timer_cancel(con->loop, con->spin_timer);
	loop_set_flush(con->loop, NULL, NULL);
	loop_set_idle(con->loop, NULL, NULL);
	loop_del_fd(con->loop, STDIN_FILENO);
	loop_del_fd(con->loop, con->sigpipe[0]);
	ui_release();
	console_signals(con, 0);
	close(con->sigpipe[0]);
	close(con->sigpipe[1]);
	free(con->pending);
	free(con->idle_path);
}

int
console_main(struct session *sess)
{
	struct console	 con;
	struct berr	 err;

	setlocale(LC_ALL, "");
	if (!sess->connected && session_connect(sess, &err) == -1) {
		fprintf(stderr, "berth: %s\n", err.msg);
		return (berr_exit_code(&err));
	}
	if (console_setup(&con, sess) == -1)
		return (1);
	console_header_load(&con);
	console_push(&con, screen_list[0], NULL);
	console_flush(&con);
	while (!con.quit) {
		loop_once(con.loop, -1);
		if (con.pending != NULL && !con.quit)
			console_commands(&con);
		if (loop_quitting(con.loop) && !loop_interrupted(con.loop))
			con.quit = 1;
	}
	console_teardown(&con);
	return (0);
}
