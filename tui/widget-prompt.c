/*
 * widget-prompt.c: the line editor, the ':' command prompt (Tab completes
 * command names, context names and the current screen's object names)
 * and the '/' filter prompt (the table filters as you type).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "berth/cmd.h"
#include "berth/session.h"
#include "berth/settings.h"
#include "berth/xmalloc.h"
#include "console-int.h"

/* --- line editor ----------------------------------------------------- */

void
line_set(struct lineedit *le, const char *s)
{
	strlcpy(le->buf, s, sizeof le->buf);
	le->len = le->pos = strlen(le->buf);
}

void
line_wipe(struct lineedit *le)
{
	explicit_bzero(le->buf, sizeof le->buf);
	le->len = le->pos = 0;
}

/* Byte length of the character before pos. */
static size_t
line_prev(const struct lineedit *le, size_t pos)
{
	size_t	p;

	if (pos == 0)
		return (0);
	p = pos - 1;
	while (p > 0 && ((unsigned char)le->buf[p] & 0xc0) == 0x80)
		p--;
	return (pos - p);
}

static size_t
line_next(const struct lineedit *le, size_t pos)
{
	size_t	p;

	if (pos >= le->len)
		return (0);
	p = pos + 1;
	while (p < le->len && ((unsigned char)le->buf[p] & 0xc0) == 0x80)
		p++;
	return (p - pos);
}

static void
line_delete(struct lineedit *le, size_t at, size_t n)
{
	memmove(le->buf + at, le->buf + at + n, le->len - at - n + 1);
	le->len -= n;
}

static int
line_insert(struct lineedit *le, int key)
{
	char		mb[MB_LEN_MAX];
	mbstate_t	ps;
	size_t		n;

	memset(&ps, 0, sizeof ps);
	n = wcrtomb(mb, (wchar_t)key, &ps);
	if (n == (size_t)-1 || le->len + n >= sizeof le->buf)
		return (1);
	memmove(le->buf + le->pos + n, le->buf + le->pos,
	    le->len - le->pos + 1);
	memcpy(le->buf + le->pos, mb, n);
	le->len += n;
	le->pos += n;
	return (1);
}

int
line_key(struct lineedit *le, int key)
{
	size_t	n;

	switch (key) {
	case KEYC_FN | KEY_BACKSPACE:
		if ((n = line_prev(le, le->pos)) > 0) {
			le->pos -= n;
			line_delete(le, le->pos, n);
		}
		return (1);
	case KEYC_FN | KEY_DC:
	case KEYC_CTRL('d'):
		if ((n = line_next(le, le->pos)) > 0)
			line_delete(le, le->pos, n);
		return (1);
	case KEYC_FN | KEY_LEFT:
	case KEYC_CTRL('b'):
		le->pos -= line_prev(le, le->pos);
		return (1);
	case KEYC_FN | KEY_RIGHT:
	case KEYC_CTRL('f'):
		le->pos += line_next(le, le->pos);
		return (1);
	case KEYC_FN | KEY_HOME:
	case KEYC_CTRL('a'):
		le->pos = 0;
		return (1);
	case KEYC_FN | KEY_END:
	case KEYC_CTRL('e'):
		le->pos = le->len;
		return (1);
	case KEYC_CTRL('u'):
		line_delete(le, 0, le->pos);
		le->pos = 0;
		return (1);
	case KEYC_CTRL('w'):
		n = le->pos;
		while (n > 0 && le->buf[n - 1] == ' ')
			n--;
		while (n > 0 && le->buf[n - 1] != ' ')
			n--;
		line_delete(le, n, le->pos - n);
		le->pos = n;
		return (1);
	}
	if (key >= 0x20 && !(key & KEYC_FN) && key != 0x7f)
		return (line_insert(le, key));
	return (0);
}

/*
 * Draw the line in width columns at (y, x), scrolled so the cursor shows.
 * A secret line shows one '*' per character, never the text.
 */
void
line_draw(struct lineedit *le, WINDOW *w, int y, int x, int width,
    enum ui_role role, int focused)
{
	char	*shown, *head;
	size_t	 i, nchars, pos;
	int	 cw, start;

	if (le->secret) {
		for (i = 0, nchars = 0, pos = 0; i < le->len; i++) {
			if (((unsigned char)le->buf[i] & 0xc0) != 0x80) {
				nchars++;
				if (i < le->pos)
					pos++;
			}
		}
		shown = xmalloc(nchars + 1);
		memset(shown, '*', nchars);
		shown[nchars] = '\0';
		head = xstrndup(shown, pos);
	} else {
		shown = xstrdup(le->buf);
		head = xstrndup(le->buf, le->pos);
	}
	cw = ui_width(head);
	start = 0;
	if (cw >= width)	/* show the tail: drop leading characters */
		start = cw - width + 1;
	if (start > 0) {
		size_t	off = 0;
		int	skipped = 0;
		char	*s = head;

		while (skipped < start && s[off] != '\0') {
			off++;
			while (((unsigned char)s[off] & 0xc0) == 0x80)
				off++;
			skipped++;
		}
		ui_text(w, y, x, width, shown + off, role, UI_LEFT);
		cw -= skipped;
	} else
		ui_text(w, y, x, width, shown, role, UI_LEFT);
	if (focused)
		ui_cursor(w, y, x + cw);
	free(shown);
	free(head);
}

/* --- completion ---------------------------------------------------- */

static const char *const prompt_builtins[] = {
	"q", "quit", "ctx", "help"
};

static void
prompt_add(char ***v, size_t *n, const char *s)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i], s) == 0)
			return;
	}
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

static int
prompt_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The command the line starts with (its name and a blank), or NULL. */
static const struct cmd_entry *
prompt_command_of(const char *line)
{
	const struct cmd_entry	*ce, *best = NULL;
	size_t			 i, n;

	for (i = 0; i < cmd_count(); i++) {
		ce = cmd_get(i);
		n = strlen(ce->name);
		if (strncmp(ce->name, line, n) == 0 && line[n] == ' ' &&
		    (best == NULL || n > strlen(best->name)))
			best = ce;
	}
	return (best);
}

/*
 * Candidates for the whole line: command names (multi-word) first; when
 * none starts with the line, the last word's object names: contexts after
 * "ctx" and "context use", else the names of the current screen's rows,
 * for commands whose usage starts with NAME (or for a line that is no
 * command). Each candidate is a
 * complete line. Caller frees (NULL-terminated).
 */
char **
prompt_complete(struct console *con, const char *line, size_t *np)
{
	const struct cmd_entry	*ce;
	struct screen		*s;
	struct context		*ctx;
	const char		*last, *name;
	char			**v = NULL, *full;
	size_t			 n = 0, i, len, plen;

	len = strlen(line);
	for (i = 0; i < cmd_count(); i++) {
		ce = cmd_get(i);
		if (!(ce->flags & (CMD_CLIONLY | CMD_HIDDEN)) &&
		    strncmp(ce->name, line, len) == 0)
			prompt_add(&v, &n, ce->name);
	}
	for (i = 0; i < nitems(prompt_builtins); i++) {
		if (strncmp(prompt_builtins[i], line, len) == 0)
			prompt_add(&v, &n, prompt_builtins[i]);
	}
	for (i = 0; screen_list[i] != NULL; i++) {
		if (strncmp(screen_list[i]->name, line, len) == 0)
			prompt_add(&v, &n, screen_list[i]->name);
	}
	if (n > 0 || (last = strrchr(line, ' ')) == NULL)
		goto done;
	last++;
	plen = (size_t)(last - line);
	ce = prompt_command_of(line);
	if (strncmp(line, "ctx ", 4) == 0 ||
	    (ce != NULL && strcmp(ce->name, "context use") == 0)) {
		TAILQ_FOREACH(ctx, &con->sess->settings->contexts, entry) {
			if (strncmp(ctx->name, last, strlen(last)) != 0)
				continue;
			xasprintf(&full, "%.*s%s", (int)plen, line, ctx->name);
			prompt_add(&v, &n, full);
			free(full);
		}
		goto done;
	}
	/* a command that takes no object name (or a new one) gets none */
	if (ce != NULL && (ce->usage == NULL ||
	    strncmp(ce->usage, "NAME", 4) != 0 ||
	    strncmp(ce->name, "context ", 8) == 0))
		goto done;
	s = TAILQ_LAST(&con->stack, screen_stack);
	if (s == NULL || s->ops->columns == NULL || s->ops->row_name == NULL)
		goto done;
	for (i = 0; i < s->table.nrows && n < 1000; i++) {
		name = s->ops->row_name(s->table.rows[i]);
		if (name == NULL || strncmp(name, last, strlen(last)) != 0)
			continue;
		xasprintf(&full, "%.*s%s", (int)plen, line, name);
		prompt_add(&v, &n, full);
		free(full);
	}
done:
	if (n > 1)
		qsort(v, n, sizeof *v, prompt_cmp);
	*np = n;
	return (v);
}

/* --- the prompt modal ---------------------------------------------- */

struct prompt {
	struct console		*con;
	enum prompt_kind	 kind;
	struct lineedit		 le;
	char			 saved[TABLE_FILTER_MAX]; /* filter on open */
	char			**cands;	/* Tab cycling */
	size_t			 ncands, cand;
	char			 msg[256];	/* candidates shown */
};

static void
prompt_cands_free(struct prompt *p)
{
	size_t	i;

	for (i = 0; i < p->ncands; i++)
		free(p->cands[i]);
	free(p->cands);
	p->cands = NULL;
	p->ncands = p->cand = 0;
}

static size_t
prompt_common(char **v, size_t n)
{
	size_t	len, i;

	len = strlen(v[0]);
	for (i = 1; i < n; i++) {
		while (len > 0 && strncmp(v[0], v[i], len) != 0)
			len--;
	}
	return (len);
}

static void
prompt_tab(struct prompt *p)
{
	char	 common[LINE_MAX_BYTES];
	size_t	 len, i, off;

	if (p->ncands > 1) {	/* second Tab: cycle */
		p->cand = (p->cand + 1) % p->ncands;
		line_set(&p->le, p->cands[p->cand]);
		return;
	}
	prompt_cands_free(p);
	p->cands = prompt_complete(p->con, p->le.buf, &p->ncands);
	p->msg[0] = '\0';
	if (p->ncands == 0) {
		snprintf(p->msg, sizeof p->msg, "(no completion)");
		return;
	}
	if (p->ncands == 1) {
		snprintf(common, sizeof common, "%s ", p->cands[0]);
		line_set(&p->le, common);
		prompt_cands_free(p);
		return;
	}
	len = prompt_common(p->cands, p->ncands);
	if (len > p->le.len) {
		snprintf(common, sizeof common, "%.*s", (int)len,
		    p->cands[0]);
		line_set(&p->le, common);
	}
	p->cand = p->ncands - 1;	/* the next Tab shows the first */
	for (i = 0, off = 0; i < p->ncands && off < sizeof p->msg; i++)
		off += (size_t)snprintf(p->msg + off, sizeof p->msg - off,
		    "%s%s", i ? "  " : "", p->cands[i]);
}

static int
prompt_key(void *arg, int key)
{
	struct prompt	*p = arg;
	struct screen	*s;

	s = TAILQ_LAST(&p->con->stack, screen_stack);
	if (key != KEYC_TAB) {
		prompt_cands_free(p);
		p->msg[0] = '\0';
	}
	switch (key) {
	case KEYC_ESC:
		if (p->kind == PROMPT_FILTER && s != NULL)
			table_set_filter(&s->table, p->saved);
		return (MODAL_CLOSE);
	case KEYC_ENTER:
	case KEYC_FN | KEY_ENTER:
		if (p->kind == PROMPT_COMMAND && p->le.len > 0)
			console_run_later(p->con, p->le.buf);
		return (MODAL_CLOSE);
	case KEYC_TAB:
		if (p->kind == PROMPT_COMMAND)
			prompt_tab(p);
		return (MODAL_KEEP);
	case KEYC_FN | KEY_BACKSPACE:
		if (p->le.len == 0)
			return (MODAL_CLOSE);
		break;
	}
	line_key(&p->le, key);
	if (p->kind == PROMPT_FILTER && s != NULL)
		table_set_filter(&s->table, p->le.buf);
	return (MODAL_KEEP);
}

static void
prompt_draw(void *arg)
{
	struct prompt	*p = arg;
	WINDOW		*w = ui.status;
	int		 x;

	if (ui.too_small)
		return;
	ui_erase(w, UI_NORMAL);
	x = ui_text(w, 0, 0, 8, p->kind == PROMPT_COMMAND ? ":" : "filter: ",
	    UI_KEY, UI_LEFT);
	if (p->msg[0] != '\0') {
		ui_erase(ui.foot, UI_NORMAL);
		ui_text(ui.foot, 0, 0, ui.cols, p->msg, UI_DIM, UI_LEFT);
		ui_flush_overlay(ui.foot);
	}
	line_draw(&p->le, w, 0, x, ui.cols - x - 1, UI_NORMAL, 1);
	ui_flush_overlay(w);
}

static void
prompt_free(void *arg)
{
	struct prompt	*p = arg;

	prompt_cands_free(p);
	free(p);
}

static const struct modal_ops prompt_ops = {
	prompt_key, prompt_draw, prompt_free
};

int
prompt_text_focus(const struct modal_ops *ops, void *arg)
{
	return (ops == &prompt_ops && arg != NULL);
}

void
prompt_open(struct console *con, enum prompt_kind kind)
{
	struct prompt	*p;
	struct screen	*s;

	p = xcalloc(1, sizeof *p);
	p->con = con;
	p->kind = kind;
	s = TAILQ_LAST(&con->stack, screen_stack);
	if (kind == PROMPT_FILTER && s != NULL) {
		strlcpy(p->saved, s->table.filter, sizeof p->saved);
		line_set(&p->le, s->table.filter);
	}
	console_modal(con, &prompt_ops, p);
}
