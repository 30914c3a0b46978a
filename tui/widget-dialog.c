/*
 * widget-dialog.c: message, confirm (focus starts on Cancel) and
 * type-the-name confirm dialogs, drawn as centred overlays.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "berth/xmalloc.h"
#include "console-int.h"

enum dialog_kind {
	DIALOG_MESSAGE,
	DIALOG_CONFIRM,
	DIALOG_NAME
};

struct dialog {
	struct console		*con;
	enum dialog_kind	 kind;
	char			*title;
	char			**lines;	/* the text, split */
	size_t			 nlines;
	char			**shown;	/* lines wrapped to shown_w */
	size_t			 nshown;
	int			 shown_w;
	size_t			 top;		/* scroll */
	char			*yes;		/* confirm button label */
	char			*name;		/* to type */
	struct lineedit		 le;
	int			 focus;		/* 0 Cancel, 1 confirm */
	int			 mismatch;	/* Enter with the wrong name */
	dialog_cb		 cb;
	void			*arg;
};

static void
dialog_split(struct dialog *d, const char *text)
{
	const char	*p, *nl;

	for (p = text; ; p = nl + 1) {
		nl = strchr(p, '\n');
		d->lines = xreallocarray(d->lines, d->nlines + 1,
		    sizeof *d->lines);
		d->lines[d->nlines++] = nl != NULL ?
		    xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		if (nl == NULL)
			break;
	}
}

static void
dialog_unwrap(struct dialog *d)
{
	size_t	i;

	for (i = 0; i < d->nshown; i++)
		free(d->shown[i]);
	free(d->shown);
	d->shown = NULL;
	d->nshown = 0;
}

/* Wrap the lines wider than w (a narrow terminal), once per width. */
static void
dialog_wrap(struct dialog *d, int w)
{
	char	**v;
	size_t	 i, j, n;

	if (d->shown != NULL && d->shown_w == w)
		return;
	dialog_unwrap(d);
	d->shown_w = w;
	for (i = 0; i < d->nlines; i++) {
		v = ui_wrap(d->lines[i], w, &n);
		d->shown = xreallocarray(d->shown, d->nshown + n + 1,
		    sizeof *d->shown);
		for (j = 0; j < n; j++)
			d->shown[d->nshown++] = v[j];
		free(v);
	}
}

static void
dialog_free(void *arg)
{
	struct dialog	*d = arg;
	size_t		 i;

	for (i = 0; i < d->nlines; i++)
		free(d->lines[i]);
	free(d->lines);
	dialog_unwrap(d);
	free(d->title);
	free(d->yes);
	free(d->name);
	free(d);
}

static int
dialog_visible(const struct dialog *d)
{
	int	h;

	h = ui.lines - 4 - 4 - (d->kind == DIALOG_NAME ? 2 : 0);
	return (h < 1 ? 1 : h);
}

static void
dialog_done(struct dialog *d, int ok)
{
	if (d->cb != NULL)
		d->cb(ok, d->arg);
}

static int
dialog_scroll(struct dialog *d, int key)
{
	size_t	vis = (size_t)dialog_visible(d);
	size_t	nlines = d->shown != NULL ? d->nshown : d->nlines;

	switch (key) {
	case 'k':
	case KEYC_FN | KEY_UP:
		if (d->top > 0)
			d->top--;
		return (1);
	case 'j':
	case KEYC_FN | KEY_DOWN:
		if (d->top + vis < nlines)
			d->top++;
		return (1);
	case KEYC_FN | KEY_NPAGE:
	case ' ':
		d->top = d->top + vis * 2 < nlines ? d->top + vis :
		    nlines > vis ? nlines - vis : 0;
		return (1);
	case KEYC_FN | KEY_PPAGE:
		d->top = d->top > vis ? d->top - vis : 0;
		return (1);
	}
	return (0);
}

static int
dialog_key(void *arg, int key)
{
	struct dialog	*d = arg;

	if (d->kind == DIALOG_MESSAGE) {
		if (dialog_scroll(d, key))
			return (MODAL_KEEP);
		if (key == KEYC_ESC || key == KEYC_ENTER || key == 'q')
			return (MODAL_CLOSE);
		return (MODAL_KEEP);
	}
	if (key == KEYC_ESC) {
		dialog_done(d, 0);
		return (MODAL_CLOSE);
	}
	if (d->kind == DIALOG_CONFIRM) {
		switch (key) {
		case KEYC_TAB:
		case KEYC_FN | KEY_BTAB:
		case KEYC_FN | KEY_LEFT:
		case KEYC_FN | KEY_RIGHT:
		case 'h':
		case 'l':
			d->focus = !d->focus;
			return (MODAL_KEEP);
		case KEYC_ENTER:
			dialog_done(d, d->focus);
			return (MODAL_CLOSE);
		case 'n':
			dialog_done(d, 0);
			return (MODAL_CLOSE);
		}
		return (MODAL_KEEP);
	}
	if (key == KEYC_ENTER) {	/* DIALOG_NAME */
		if (strcmp(d->le.buf, d->name) != 0) {
			d->mismatch = 1;
			return (MODAL_KEEP);
		}
		dialog_done(d, 1);
		return (MODAL_CLOSE);
	}
	line_key(&d->le, key);
	d->mismatch = 0;
	return (MODAL_KEEP);
}

static void
dialog_draw(void *arg)
{
	struct dialog	*d = arg;
	WINDOW		*w;
	size_t		 i, vis;
	int		 h, wd, y, x, maxw;

	if (ui.too_small)
		return;
	maxw = 0;
	for (i = 0; i < d->nlines; i++) {
		if ((x = ui_width(d->lines[i])) > maxw)
			maxw = x;
	}
	if ((x = ui_width(d->title) + 4) > maxw)
		maxw = x;
	if (d->kind == DIALOG_NAME && (x = ui_width(d->name) + 36) > maxw)
		maxw = x;
	wd = maxw + 4;
	if (wd < 44)
		wd = 44;
	if (wd > ui.cols - 4)
		wd = ui.cols - 4;
	dialog_wrap(d, wd - 4);
	vis = (size_t)dialog_visible(d);
	if (vis > d->nshown)
		vis = d->nshown;
	if (d->top + vis > d->nshown)	/* after a resize */
		d->top = d->nshown - vis;
	h = (int)vis + 4 + (d->kind == DIALOG_NAME ? 2 : 0);
	w = ui_overlay(h, wd);
	ui_erase(w, UI_DIALOG);
	ui_box(w, UI_DIALOG);
	ui_title(w, d->title);
	for (i = 0; i < vis && d->top + i < d->nshown; i++)
		ui_text(w, (int)i + 1, 2, wd - 4, d->shown[d->top + i],
		    UI_DIALOG, UI_LEFT);
	y = (int)vis + 2;
	if (d->kind == DIALOG_MESSAGE) {
		ui_text(w, y, 2, wd - 4, d->nshown > vis ?
		    "[ OK ]  j/k scroll" : "[ OK ]", UI_FOCUS, UI_LEFT);
		ui_flush_overlay(w);
		return;
	}
	if (d->kind == DIALOG_NAME) {
		y = (int)vis + 1;
		ui_textf(w, y, 2, wd - 4, UI_DIALOG, "type \"%s\" to confirm "
		    "(Esc cancels):", d->name);
		ui_text(w, y + 2, 2, wd - 4, strcmp(d->le.buf, d->name) == 0 ?
		    "Enter confirms" : d->mismatch ? "the name does not match" :
		    "", UI_BAD, UI_LEFT);
		line_draw(&d->le, w, y + 1, 2, wd - 4, UI_FIELD, 1);
		ui_flush_overlay(w);
		return;
	}
	x = 2 + ui_text(w, y, 2, 10, "[ Cancel ]", d->focus == 0 ?
	    UI_FOCUS : UI_DIALOG, UI_LEFT) + 2;
	ui_textf(w, y, x, wd - x - 2, d->focus == 1 ? UI_FOCUS : UI_DIALOG,
	    "[ %s ]", d->yes);
	ui_flush_overlay(w);
}

static const struct modal_ops dialog_ops = {
	dialog_key, dialog_draw, dialog_free
};

int
dialog_text_focus(const struct modal_ops *ops, void *arg)
{
	struct dialog	*d = arg;

	if (ops != &dialog_ops)
		return (0);
	return (d->kind == DIALOG_NAME);
}

static struct dialog *
dialog_new(struct console *con, enum dialog_kind kind, const char *title,
    const char *text)
{
	struct dialog	*d;

	d = xcalloc(1, sizeof *d);
	d->con = con;
	d->kind = kind;
	d->title = xstrdup(title);
	dialog_split(d, text);
	return (d);
}

void
dialog_message(struct console *con, const char *title, const char *text)
{
	console_modal(con, &dialog_ops, dialog_new(con, DIALOG_MESSAGE,
	    title, text));
}

void
dialog_confirm(struct console *con, const char *title, const char *text,
    const char *yes, dialog_cb cb, void *arg)
{
	struct dialog	*d;

	d = dialog_new(con, DIALOG_CONFIRM, title, text);
	d->yes = xstrdup(yes != NULL ? yes : "OK");
	d->cb = cb;
	d->arg = arg;
	console_modal(con, &dialog_ops, d);
}

void
dialog_confirm_name(struct console *con, const char *title,
    const char *text, const char *name, dialog_cb cb, void *arg)
{
	struct dialog	*d;

	d = dialog_new(con, DIALOG_NAME, title, text);
	d->name = xstrdup(name);
	d->cb = cb;
	d->arg = arg;
	console_modal(con, &dialog_ops, d);
}
