/*
 * widget-form.c: forms declared as field tables (label, kind, offsetof,
 * limits, check). Text, secret (masked, never echoed, stored as a struct
 * secret), toggle, choice, number with units and cron fields; each field
 * is validated with its message next to it; the input stays when a submit
 * fails; Tab/Shift-Tab move, Enter submits, Esc cancels (asking first
 * when something changed).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/secret.h"
#include "berth/xmalloc.h"
#include "console-int.h"

#define FORM_LABEL_W	20

struct form {
	struct console		*con;
	char			*title;
	const struct field	*fields;
	int			 n;
	void			*obj;
	form_submit_cb		 cb;
	void			*arg;
	struct lineedit		*le;		/* per field */
	int			*ival;		/* toggle, choice */
	char			**err;		/* per field, or NULL */
	char			*formerr;
	int			 focus;
	int			 submitting;
	int			 changed;
	int			 closing;	/* discard dialog open */
	int			 in_key;	/* inside form_key */
	int			 done;		/* form_done() from the submit */
};

static void	form_free(void *);

static int
form_is_text(enum field_kind k)
{
	return (k == FIELD_TEXT || k == FIELD_SECRET || k == FIELD_NUMBER ||
	    k == FIELD_CRON);
}

int
form_parse_number(const struct field *f, const char *s, long long *out,
    const char **why)
{
	const struct field_unit	*u;
	char			*end;
	long long		 v, mult = 1;

	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || errno != 0) {
		*why = "not a number";
		return (-1);
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0') {
		for (u = f->units; u != NULL && u->suffix != NULL; u++) {
			if (strcmp(u->suffix, end) == 0)
				break;
		}
		if (u == NULL || u->suffix == NULL) {
			*why = "unknown unit";
			return (-1);
		}
		mult = u->mult;
	} else if (f->units != NULL && f->units[0].suffix != NULL)
		mult = f->units[0].mult;
	if (mult != 0 && (v > INT64_MAX / mult || v < INT64_MIN / mult)) {
		*why = "too large";
		return (-1);
	}
	v *= mult;
	if (f->min < f->max && (v < f->min || v > f->max)) {
		*why = "out of range";
		return (-1);
	}
	*out = v;
	return (0);
}

/*
 * Harbor's cron has 6 fields (seconds first): "0 0 3 * * *". Returns NULL
 * or why not.
 */
const char *
form_check_cron(const char *s)
{
	const char	*p;
	int		 n = 0, in = 0;

	for (p = s; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			in = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && strchr("*/,-?", *p) == NULL)
			return ("cron: unexpected character");
		if (!in)
			n++;
		in = 1;
	}
	if (n != 6)
		return ("cron needs 6 fields: sec min hour day month weekday");
	return (NULL);
}

static void
form_number_text(const struct field *f, long long v, char *buf, size_t len)
{
	const struct field_unit	*u, *best = NULL;

	for (u = f->units; u != NULL && u->suffix != NULL; u++) {
		if (u->mult > 0 && v % u->mult == 0 &&
		    (best == NULL || u->mult > best->mult))
			best = u;
	}
	if (best != NULL && v != 0)
		snprintf(buf, len, "%lld%s", v / best->mult, best->suffix);
	else
		snprintf(buf, len, "%lld", v);
}

static void
form_load(struct form *fm)
{
	const struct field	*f;
	char			 buf[64], *base = fm->obj;
	char			*const *sp;
	int			 i;

	for (i = 0; i < fm->n; i++) {
		f = &fm->fields[i];
		switch (f->kind) {
		case FIELD_TEXT:
		case FIELD_CRON:
			sp = (char *const *)(void *)(base + f->offset);
			line_set(&fm->le[i], *sp != NULL ? *sp : "");
			break;
		case FIELD_SECRET:
			fm->le[i].secret = 1;	/* never loaded back */
			break;
		case FIELD_TOGGLE:
		case FIELD_CHOICE:
			memcpy(&fm->ival[i], base + f->offset, sizeof (int));
			break;
		case FIELD_NUMBER:
			form_number_text(f, *(long long *)(void *)(base +
			    f->offset), buf, sizeof buf);
			line_set(&fm->le[i], buf);
			break;
		}
	}
}

/* Check every field; messages next to the fields. 0 if all pass. */
static int
form_validate(struct form *fm)
{
	const struct field	*f;
	const char		*why;
	long long		 v;
	int			 i, bad = -1;

	for (i = 0; i < fm->n; i++) {
		f = &fm->fields[i];
		free(fm->err[i]);
		fm->err[i] = NULL;
		why = NULL;
		if (form_is_text(f->kind) && f->required &&
		    fm->le[i].len == 0)
			why = "required";
		else if (f->kind == FIELD_NUMBER &&
		    form_parse_number(f, fm->le[i].buf, &v, &why) == -1)
			;
		else if (f->kind == FIELD_CRON && fm->le[i].len > 0)
			why = form_check_cron(fm->le[i].buf);
		if (why == NULL && f->check != NULL)
			why = f->check(form_is_text(f->kind) ?
			    fm->le[i].buf : "", fm->obj);
		if (why != NULL) {
			fm->err[i] = xstrdup(why);
			if (bad == -1)
				bad = i;
		}
	}
	if (bad != -1)
		fm->focus = bad;
	return (bad == -1 ? 0 : -1);
}

static void
form_store(struct form *fm)
{
	const struct field	*f;
	char			*base = fm->obj, **sp;
	struct secret		**secp;
	long long		 v;
	const char		*why;
	int			 i;

	for (i = 0; i < fm->n; i++) {
		f = &fm->fields[i];
		switch (f->kind) {
		case FIELD_TEXT:
		case FIELD_CRON:
			sp = (char **)(void *)(base + f->offset);
			free(*sp);
			*sp = xstrdup(fm->le[i].buf);
			break;
		case FIELD_SECRET:
			secp = (struct secret **)(void *)(base + f->offset);
			secret_free(*secp);
			*secp = fm->le[i].len > 0 ?
			    secret_new(fm->le[i].buf, fm->le[i].len) : NULL;
			break;
		case FIELD_TOGGLE:
		case FIELD_CHOICE:
			memcpy(base + f->offset, &fm->ival[i], sizeof (int));
			break;
		case FIELD_NUMBER:
			if (form_parse_number(f, fm->le[i].buf, &v, &why) == 0)
				memcpy(base + f->offset, &v, sizeof v);
			break;
		}
	}
}

static void
form_submit(struct form *fm)
{
	free(fm->formerr);
	fm->formerr = NULL;
	if (form_validate(fm) == -1)
		return;
	form_store(fm);
	fm->submitting = 1;
	if (fm->cb(fm, fm->obj, fm->arg) == -1)
		fm->submitting = 0;
}

static void
form_discard_cb(int ok, void *arg)
{
	struct form	*fm = arg;

	fm->closing = 0;
	if (ok)
		console_modal_close(fm->con, fm);
}

static int
form_choices(const struct field *f)
{
	int	n = 0;

	while (f->choices != NULL && f->choices[n] != NULL)
		n++;
	return (n);
}

static int
form_key(void *arg, int key)
{
	struct form		*fm = arg;
	const struct field	*f = &fm->fields[fm->focus];
	size_t			 len;
	int			 nc;

	if (fm->submitting)
		return (MODAL_KEEP);	/* the request has its deadline */
	switch (key) {
	case KEYC_ESC:
		if (!fm->changed)
			return (MODAL_CLOSE);
		fm->closing = 1;
		dialog_confirm(fm->con, "Discard changes?", "The form has "
		    "changes that were not submitted.", "Discard",
		    form_discard_cb, fm);
		return (MODAL_KEEP);
	case KEYC_TAB:
	case KEYC_FN | KEY_DOWN:
		fm->focus = (fm->focus + 1) % fm->n;
		return (MODAL_KEEP);
	case KEYC_FN | KEY_BTAB:
	case KEYC_FN | KEY_UP:
		fm->focus = (fm->focus + fm->n - 1) % fm->n;
		return (MODAL_KEEP);
	case KEYC_ENTER:
	case KEYC_FN | KEY_ENTER:
		fm->in_key = 1;
		form_submit(fm);
		fm->in_key = 0;
		return (fm->done ? MODAL_CLOSE : MODAL_KEEP);
	}
	if (f->kind == FIELD_TOGGLE && (key == ' ' || key == 'x')) {
		fm->ival[fm->focus] = !fm->ival[fm->focus];
		fm->changed = 1;
	} else if (f->kind == FIELD_CHOICE && (nc = form_choices(f)) > 0 &&
	    (key == ' ' || key == (KEYC_FN | KEY_RIGHT))) {
		fm->ival[fm->focus] = (fm->ival[fm->focus] + 1) % nc;
		fm->changed = 1;
	} else if (f->kind == FIELD_CHOICE && nc > 0 &&
	    key == (KEYC_FN | KEY_LEFT)) {
		fm->ival[fm->focus] = (fm->ival[fm->focus] + nc - 1) % nc;
		fm->changed = 1;
	} else if (form_is_text(f->kind) && (len = fm->le[fm->focus].len,
	    line_key(&fm->le[fm->focus], key)) &&
	    fm->le[fm->focus].len != len)	/* not a cursor move */
		fm->changed = 1;
	else
		return (MODAL_KEEP);
	free(fm->err[fm->focus]);	/* edited: its complaint is stale */
	fm->err[fm->focus] = NULL;
	return (MODAL_KEEP);
}

static void
form_draw_value(struct form *fm, WINDOW *w, int i, int y, int x, int width)
{
	const struct field	*f = &fm->fields[i];
	enum ui_role		 role;
	char			 buf[256];
	int			 nc;

	role = i == fm->focus ? UI_FOCUS : UI_FIELD;
	switch (f->kind) {
	case FIELD_TOGGLE:
		ui_text(w, y, x, width, fm->ival[i] ? "[x] yes" : "[ ] no",
		    role, UI_LEFT);
		break;
	case FIELD_CHOICE:
		nc = form_choices(f);
		snprintf(buf, sizeof buf, "< %s >", nc > 0 && fm->ival[i] < nc ?
		    f->choices[fm->ival[i]] : "?");
		ui_text(w, y, x, width, buf, role, UI_LEFT);
		break;
	default:
		line_draw(&fm->le[i], w, y, x, width, role, 0);
		break;
	}
}

static void
form_draw(void *arg)
{
	struct form	*fm = arg;
	WINDOW		*w;
	int		 i, y, wd, vx, vw, cx = -1, cy = 0;

	if (ui.too_small)
		return;
	wd = ui.cols - 4 > 76 ? 76 : ui.cols - 4;
	w = ui_overlay(fm->n * 2 + 5, wd);
	ui_erase(w, UI_DIALOG);
	ui_box(w, UI_DIALOG);
	ui_title(w, fm->title);
	vx = FORM_LABEL_W + 3;
	vw = wd - vx - 2;
	for (i = 0, y = 1; i < fm->n; i++, y += 2) {
		ui_textf(w, y, 2, FORM_LABEL_W, i == fm->focus ? UI_KEY :
		    UI_DIALOG, "%s%s", fm->fields[i].label,
		    fm->fields[i].required ? " *" : "");
		form_draw_value(fm, w, i, y, vx, vw);
		if (fm->err[i] != NULL)
			ui_text(w, y + 1, vx, vw, fm->err[i], UI_BAD, UI_LEFT);
		else if (i == fm->focus && fm->fields[i].hint != NULL)
			ui_text(w, y + 1, vx, vw, fm->fields[i].hint, UI_DIM,
			    UI_LEFT);
		if (i == fm->focus && form_is_text(fm->fields[i].kind))
			cx = i, cy = y;
	}
	y++;
	if (fm->formerr != NULL)
		ui_text(w, y, 2, wd - 4, fm->formerr, UI_BAD, UI_LEFT);
	else
		ui_text(w, y, 2, wd - 4, fm->submitting ? "submitting..." :
		    "Enter submits  Tab next field  Esc cancels", UI_DIM,
		    UI_LEFT);
	if (cx != -1)
		line_draw(&fm->le[cx], w, cy, vx, vw, UI_FOCUS, 1);
	ui_flush_overlay(w);
}

static void
form_free(void *arg)
{
	struct form	*fm = arg;
	int		 i;

	for (i = 0; i < fm->n; i++) {
		line_wipe(&fm->le[i]);
		free(fm->err[i]);
	}
	free(fm->le);
	free(fm->ival);
	free(fm->err);
	free(fm->formerr);
	free(fm->title);
	free(fm);
}

static const struct modal_ops form_ops = {
	form_key, form_draw, form_free
};

int
form_text_focus(const struct modal_ops *ops, void *arg)
{
	struct form	*fm = arg;

	if (ops != &form_ops)
		return (0);
	return (form_is_text(fm->fields[fm->focus].kind));
}

/*
 * Open a form over the current screen for obj (fields read from it at
 * offsets; values stored back at submit). See form_submit_cb.
 */
struct form *
form_open(struct console *con, const char *title, const struct field *fields,
    void *obj, form_submit_cb cb, void *arg)
{
	struct form	*fm;

	fm = xcalloc(1, sizeof *fm);
	fm->con = con;
	fm->title = xstrdup(title);
	fm->fields = fields;
	while (fields[fm->n].label != NULL)
		fm->n++;
	if (fm->n == 0)
		fatalx("empty form");
	fm->obj = obj;
	fm->cb = cb;
	fm->arg = arg;
	fm->le = xcalloc((size_t)fm->n, sizeof *fm->le);
	fm->ival = xcalloc((size_t)fm->n, sizeof *fm->ival);
	fm->err = xcalloc((size_t)fm->n, sizeof *fm->err);
	form_load(fm);
	console_modal(con, &form_ops, fm);
	return (fm);
}

/* The submit succeeded: close the form. */
void
form_done(struct form *fm)
{
	if (fm->in_key)		/* a synchronous submit: form_key closes */
		fm->done = 1;
	else
		console_modal_close(fm->con, fm);
}

/*
 * The submit failed: keep the input; the message goes next to the field
 * with that label, or under the form when label is NULL or unknown.
 */
void
form_fail(struct form *fm, const char *label, const char *msg)
{
	int	i;

	fm->submitting = 0;
	for (i = 0; label != NULL && i < fm->n; i++) {
		if (strcmp(fm->fields[i].label, label) == 0) {
			free(fm->err[i]);
			fm->err[i] = xstrdup(msg);
			fm->focus = i;
			console_dirty(fm->con);
			return;
		}
	}
	free(fm->formerr);
	fm->formerr = xstrdup(msg);
	console_dirty(fm->con);
}
