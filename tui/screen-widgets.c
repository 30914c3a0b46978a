/*
 * screen-widgets.c: a hidden screen (":widgets") that exercises the
 * shared widgets without a Harbor: a table of generated rows (count from
 * BERTH_TEST_ROWS, default 40; 100000 for the speed test), a form with
 * every field kind, the confirm dialogs, marks. Screen tests drive it;
 * operators never need it (it is not in any key table or hint).
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/secret.h"
#include "berth/xmalloc.h"
#include "tui.h"

struct widgets_row {
	char		name[32];
	const char	*kind;
	long long	size;
	char		size_s[24];
	char		note[48];
};

/* What the demo form edits. */
struct widgets_obj {
	char		*name;
	struct secret	*secret;
	int		 verify;
	int		 provider;
	long long	 timeout;
	char		*cron;
};

struct widgets {
	struct widgets_row	*rows;
	size_t			 n;
	struct widgets_obj	 obj;
	char			*pending;	/* name being deleted */
};

static const char *const screen_widgets_kinds[] = {
	"alpha", "bravo", "charlie", "delta"
};

static const char *const screen_widgets_providers[] = {
	"Docker Registry", "Harbor", "Quay", NULL
};

static const struct field_unit screen_widgets_units[] = {
	{ "s", 1 }, { "m", 60 }, { "h", 3600 }, { NULL, 0 }
};

static const char *
screen_widgets_check_name(const char *s, void *obj)
{
	if (strchr(s, ' ') != NULL)
		return ("no spaces in a name");
	return (NULL);
}

static const struct field screen_widgets_fields[] = {
	{ .label = "Name", .kind = FIELD_TEXT, .required = 1,
	  .offset = offsetof(struct widgets_obj, name),
	  .check = screen_widgets_check_name, .hint = "letters and digits" },
	{ .label = "Secret", .kind = FIELD_SECRET, .required = 1,
	  .offset = offsetof(struct widgets_obj, secret),
	  .hint = "never shown" },
	{ .label = "Verify cert", .kind = FIELD_TOGGLE,
	  .offset = offsetof(struct widgets_obj, verify),
	  .hint = "Space toggles" },
	{ .label = "Provider", .kind = FIELD_CHOICE,
	  .offset = offsetof(struct widgets_obj, provider),
	  .choices = screen_widgets_providers, .hint = "Space/Left/Right" },
	{ .label = "Timeout", .kind = FIELD_NUMBER,
	  .offset = offsetof(struct widgets_obj, timeout),
	  .units = screen_widgets_units, .min = 1, .max = 86400,
	  .hint = "90s, 5m, 2h (1s to 24h)" },
	{ .label = "Schedule", .kind = FIELD_CRON,
	  .offset = offsetof(struct widgets_obj, cron),
	  .hint = "sec min hour day month weekday" },
	{ .label = NULL }
};

static const char *
screen_widgets_cell_name(const void *r, char *buf, size_t len)
{
	return (((const struct widgets_row *)r)->name);
}

static const char *
screen_widgets_cell_kind(const void *r, char *buf, size_t len)
{
	return (((const struct widgets_row *)r)->kind);
}

static const char *
screen_widgets_cell_size(const void *r, char *buf, size_t len)
{
	return (((const struct widgets_row *)r)->size_s);
}

static const char *
screen_widgets_cell_note(const void *r, char *buf, size_t len)
{
	return (((const struct widgets_row *)r)->note);
}

static int
screen_widgets_cmp_size(const void *a, const void *b)
{
	long long	x = ((const struct widgets_row *)a)->size;
	long long	y = ((const struct widgets_row *)b)->size;

	return (x < y ? -1 : x > y);
}

static enum ui_role
screen_widgets_role_kind(const void *r)
{
	return (strcmp(((const struct widgets_row *)r)->kind, "delta") == 0 ?
	    UI_BAD : UI_NORMAL);
}

static const char *
screen_widgets_name(const void *r)
{
	return (((const struct widgets_row *)r)->name);
}

static const struct column screen_widgets_cols[] = {
	{ .title = "NAME", .width = 14, .cell = screen_widgets_cell_name },
	{ .title = "KIND", .width = 8, .cell = screen_widgets_cell_kind,
	  .role = screen_widgets_role_kind },
	{ .title = "SIZE", .width = 8, .align = UI_RIGHT,
	  .cell = screen_widgets_cell_size, .cmp = screen_widgets_cmp_size },
	{ .title = "NOTE", .width = 20, .flex = 1,
	  .cell = screen_widgets_cell_note },
	{ .title = NULL }
};

static const struct keybind screen_widgets_keys[] = {
	{ 'n',	ACTION_NEW,		"Open the demo form" },
	{ 'd',	ACTION_DELETE,		"Delete (type-the-name confirm)" },
	{ 'c',	ACTION_DEMO_CONFIRM,	"Confirm dialog (focus on Cancel)" },
	{ 0,	ACTION_NONE,		NULL }
};

static void
screen_widgets_enter(struct screen *s)
{
	struct widgets	*w;
	const char	*env;
	void		**v;
	size_t		 i;

	w = xcalloc(1, sizeof *w);
	s->data = w;
	w->n = 40;
	if ((env = getenv("BERTH_TEST_ROWS")) != NULL)
		w->n = (size_t)strtonum(env, 1, 1000000, NULL);
	if (w->n == 0)
		w->n = 40;
	w->rows = xcalloc(w->n, sizeof *w->rows);
	v = xcalloc(w->n, sizeof *v);
	for (i = 0; i < w->n; i++) {
		snprintf(w->rows[i].name, sizeof w->rows[i].name, "row-%06zu",
		    i + 1);
		w->rows[i].kind = screen_widgets_kinds[(i * 7) % 4];
		w->rows[i].size = (long long)((i * 7919) % 1000);
		snprintf(w->rows[i].size_s, sizeof w->rows[i].size_s, "%lld",
		    w->rows[i].size);
		snprintf(w->rows[i].note, sizeof w->rows[i].note,
		    i % 5 == 0 ? "needle %zu" : "hay %zu", i);
		v[i] = &w->rows[i];
	}
	table_set_rows(&s->table, v, w->n);
	free(v);
	w->obj.timeout = 300;
	w->obj.verify = 1;
	s->loaded = 1;
}

static void
screen_widgets_leave(struct screen *s)
{
	struct widgets	*w = s->data;

	free(w->obj.name);
	free(w->obj.cron);
	secret_free(w->obj.secret);
	free(w->pending);
	free(w->rows);
	free(w);
}

static int
screen_widgets_submit(struct form *fm, void *obj, void *arg)
{
	struct screen		*s = arg;
	struct widgets_obj	*o = obj;

	if (strcmp(o->name, "taken") == 0) {
		form_fail(fm, "Name", "name \"taken\" already exists");
		return (-1);
	}
	console_info(s->con, "saved %s: secret of %zu bytes, verify %s, %s, "
	    "timeout %llds, cron \"%s\"", o->name, o->secret != NULL ?
	    o->secret->len : 0, o->verify ? "on" : "off",
	    screen_widgets_providers[o->provider], o->timeout, o->cron);
	form_done(fm);
	return (0);
}

static void
screen_widgets_deleted(int ok, void *arg)
{
	struct screen	*s = arg;
	struct widgets	*w = s->data;

	if (ok)
		console_info(s->con, "deleted %s", w->pending);
	else
		console_info(s->con, "delete cancelled");
}

static void
screen_widgets_confirmed(int ok, void *arg)
{
	struct screen	*s = arg;

	console_info(s->con, ok ? "confirmed" : "cancelled");
}

static int
screen_widgets_action(struct screen *s, enum action a)
{
	struct widgets		 *w = s->data;
	const struct widgets_row *r;
	char			  text[128];

	r = table_selected(&s->table);
	switch (a) {
	case ACTION_NEW:
		form_open(s->con, "New thing", screen_widgets_fields, &w->obj,
		    screen_widgets_submit, s);
		return (ACT_DONE);
	case ACTION_DELETE:
		if (r == NULL)
			return (ACT_DONE);
		free(w->pending);
		w->pending = xstrdup(r->name);
		snprintf(text, sizeof text, "Delete %s? This cannot be "
		    "undone.", r->name);
		dialog_confirm_name(s->con, "Delete", text, r->name,
		    screen_widgets_deleted, s);
		return (ACT_DONE);
	case ACTION_DEMO_CONFIRM:
		dialog_confirm(s->con, "Confirm", "Run the thing now?", "Run",
		    screen_widgets_confirmed, s);
		return (ACT_DONE);
	case ACTION_OPEN:
		if (r != NULL) {
			snprintf(text, sizeof text, "name %s\nkind %s\nsize "
			    "%lld\nnote %s", r->name, r->kind, r->size,
			    r->note);
			dialog_message(s->con, r->name, text);
		}
		return (ACT_DONE);
	default:
		return (ACT_PASS);
	}
}

const struct screen_ops screen_widgets_ops = {
	.name = "widgets",
	.title = "Widgets",
	.columns = screen_widgets_cols,
	.keys = screen_widgets_keys,
	.row_name = screen_widgets_name,
	.enter = screen_widgets_enter,
	.leave = screen_widgets_leave,
	.action = screen_widgets_action,
};
