/*
 * screen-help.c: '?' shows the keys of the screen below: its own key
 * table, then the global keys it can use, generated from the tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "berth/xmalloc.h"
#include "console-int.h"

struct help_row {
	char		 key[32];
	const char	*action;
	const char	*help;
	const char	*where;
};

struct help {
	struct help_row	*rows;
	size_t		 n;
};

static const char *
screen_help_cell_key(const void *row, char *buf, size_t len)
{
	return (((const struct help_row *)row)->key);
}

static const char *
screen_help_cell_action(const void *row, char *buf, size_t len)
{
	return (((const struct help_row *)row)->action);
}

static const char *
screen_help_cell_help(const void *row, char *buf, size_t len)
{
	return (((const struct help_row *)row)->help);
}

static const char *
screen_help_cell_where(const void *row, char *buf, size_t len)
{
	return (((const struct help_row *)row)->where);
}

static const char *
screen_help_name(const void *row)
{
	return (((const struct help_row *)row)->action);
}

static const struct column screen_help_cols[] = {
	{ .title = "KEY", .width = 8, .cell = screen_help_cell_key },
	{ .title = "ACTION", .width = 13, .cell = screen_help_cell_action },
	{ .title = "DESCRIPTION", .width = 30, .flex = 1,
	  .cell = screen_help_cell_help },
	{ .title = "FROM", .width = 10, .cell = screen_help_cell_where },
	{ .title = NULL }
};

static void
screen_help_add(struct help *h, const struct keybind *k, const char *where,
    int ro)
{
	struct help_row	*r;

	h->rows = xreallocarray(h->rows, h->n + 1, sizeof *h->rows);
	r = &h->rows[h->n++];
	strlcpy(r->key, keymap_key_name(k->key, r->key, sizeof r->key),
	    sizeof r->key);
	r->action = action_name[k->action];
	r->help = k->help != NULL ? k->help : action_help[k->action];
	if (ro && (action_flags[k->action] & ACTF_MUTATES))
		r->help = "(disabled: read-only)";
	r->where = where;
}

static void
screen_help_enter(struct screen *s)
{
	const struct keybind	*k;
	struct screen		*below;
	struct help		*h;
	void			**v;
	size_t			 i;
	int			 ro;

	h = xcalloc(1, sizeof *h);
	s->data = h;
	below = screen_below(s);
	ro = console_read_only(s->con);
	if (below != NULL) {
		for (k = below->ops->keys; k != NULL &&
		    k->action != ACTION_NONE; k++)
			screen_help_add(h, k, below->ops->title, ro);
	}
	for (k = keymap_global; k->action != ACTION_NONE; k++) {
		if (below != NULL && below->ops->columns == NULL &&
		    (action_flags[k->action] & ACTF_TABLE) &&
		    k->action != ACTION_OPEN)
			continue;
		screen_help_add(h, k, "global", ro);
	}
	v = xcalloc(h->n + 1, sizeof *v);
	for (i = 0; i < h->n; i++)
		v[i] = &h->rows[i];
	table_set_rows(&s->table, v, h->n);
	free(v);
	s->loaded = 1;
}

static void
screen_help_leave(struct screen *s)
{
	struct help	*h = s->data;

	free(h->rows);
	free(h);
}

const struct screen_ops screen_help_ops = {
	.name = "help",
	.title = "Help",
	.columns = screen_help_cols,
	.row_name = screen_help_name,
	.enter = screen_help_enter,
	.leave = screen_help_leave,
};
