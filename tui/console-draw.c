/*
 * console-draw.c: the frame around the screens: header (context, Harbor
 * URL and version, user, badges), breadcrumbs, body, status line and key
 * hints. All text goes through ui_text().
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "berth/loop.h"
#include "berth/model.h"
#include "berth/session.h"
#include "berth/xmalloc.h"
#include "console-int.h"

static const char *
draw_spinner(struct console *con)
{
	static const char *const uni[] = { "\342\240\213", "\342\240\231",
	    "\342\240\271", "\342\240\270", "\342\240\274", "\342\240\264",
	    "\342\240\246", "\342\240\247", "\342\240\207", "\342\240\217" };
	static const char *const asc[] = { "|", "/", "-", "\\" };

	if (ui.utf8)
		return (uni[con->spin % nitems(uni)]);
	return (asc[con->spin % nitems(asc)]);
}

/* Put text at *x (at most up to maxx), advance *x. */
static void
draw_put(WINDOW *w, int y, int *x, int maxx, const char *text,
    enum ui_role role)
{
	int	width;

	width = ui_width(text);
	if (width > maxx - *x)
		width = maxx - *x;
	if (width <= 0)
		return;
	*x += ui_text(w, y, *x, width, text, role, UI_LEFT);
}

void
draw_head(struct console *con)
{
	struct session	*sess = con->sess;
	WINDOW		*w = ui.head;
	const char	*badges[4];
	char		 ver[96];
	int		 nb = 0, i, x, right, left, userw, admin;

	ui_erase(w, UI_NORMAL);
	ui_blank(w, 0, 0, ui.cols, UI_HEADER);
	if (sess->ctx.insecure)
		badges[nb++] = "INSECURE";
	if (sess->read_only)
		badges[nb++] = "READ-ONLY";
	if (con->sysinfo != NULL && con->sysinfo->read_only)
		badges[nb++] = "HARBOR READ-ONLY";
	right = ui.cols - 2;
	for (i = 0; i < nb; i++)
		right -= ui_width(badges[i]) + 1;
	/* the user and ADMIN badge keep their room: the URL and version
	 * give way first on a narrow terminal */
	admin = con->user != NULL && con->user->sysadmin;
	userw = sess->ctx.user == NULL ? 0 : 2 + ui_width(sess->ctx.user) +
	    (admin ? 6 : 0);
	if ((left = right - userw) < 20)
		left = right;
	x = 0;
	draw_put(w, 0, &x, left, " berth ", UI_HEADER);
	draw_put(w, 0, &x, left, sess->ctx.name != NULL ? sess->ctx.name :
	    "(no context)", UI_HEADER);
	draw_put(w, 0, &x, left, "  ", UI_HEADER);
	draw_put(w, 0, &x, left, sess->ctx.url != NULL ? sess->ctx.url : "",
	    UI_HEADER);
	snprintf(ver, sizeof ver, "  Harbor %s", con->sysinfo != NULL &&
	    con->sysinfo->harbor_version != NULL ?
	    con->sysinfo->harbor_version : "?");
	draw_put(w, 0, &x, left, ver, UI_HEADER);
	if (sess->ctx.user != NULL) {
		draw_put(w, 0, &x, right, "  ", UI_HEADER);
		draw_put(w, 0, &x, right, sess->ctx.user, UI_HEADER);
		if (admin) {
			draw_put(w, 0, &x, right, " ", UI_HEADER);
			draw_put(w, 0, &x, right, "ADMIN", UI_BADGE);
		}
	}
	x = right + 1;
	for (i = 0; i < nb; i++) {
		draw_put(w, 0, &x, ui.cols, badges[i],
		    strcmp(badges[i], "INSECURE") == 0 ? UI_BADGE_BAD :
		    UI_BADGE);
		x++;
	}
	if (console_busy(con))
		ui_text(w, 0, ui.cols - 1, 1, draw_spinner(con), UI_HEADER,
		    UI_LEFT);
	draw_crumbs(con);
}

/* Line 2: where we are, and the table's position, filter and marks. */
void
draw_crumbs(struct console *con)
{
	struct screen	*s;
	struct table	*t;
	char		 info[TABLE_FILTER_MAX + 128];
	int		 x, infow;

	x = 1;
	info[0] = '\0';
	s = TAILQ_LAST(&con->stack, screen_stack);
	if (s != NULL && s->ops->columns != NULL) {
		t = &s->table;
		snprintf(info, sizeof info, "%s%s%s%zu/%zu%s",
		    t->filter[0] ? "filter: " : "", t->filter,
		    t->filter[0] ? "  " : "",
		    t->nidx > 0 ? t->cur + 1 : 0, t->nidx,
		    t->nrows != t->nidx ? " shown" : "");
		if (t->nmarked > 0)
			snprintf(info + strlen(info), sizeof info -
			    strlen(info), "  %zu marked", t->nmarked);
	}
	infow = ui_width(info);
	TAILQ_FOREACH(s, &con->stack, entry) {
		if (s != TAILQ_FIRST(&con->stack))
			draw_put(ui.head, 1, &x, ui.cols - infow - 2,
			    ui.utf8 ? " \342\200\272 " : " > ", UI_CRUMBS);
		draw_put(ui.head, 1, &x, ui.cols - infow - 2, s->ops->title,
		    TAILQ_NEXT(s, entry) == NULL ? UI_TITLE : UI_CRUMBS);
		if (s->arg != NULL) {
			draw_put(ui.head, 1, &x, ui.cols - infow - 2, " ",
			    UI_CRUMBS);
			draw_put(ui.head, 1, &x, ui.cols - infow - 2, s->arg,
			    UI_CRUMBS);
		}
	}
	if (infow > 0)
		ui_text(ui.head, 1, ui.cols - infow - 1, infow, info, UI_DIM,
		    UI_RIGHT);
}

void
draw_body(struct console *con)
{
	struct screen	*s;
	WINDOW		*w = ui.body;
	int		 h, used = 0;

	ui_erase(w, UI_NORMAL);
	if ((s = TAILQ_LAST(&con->stack, screen_stack)) == NULL)
		return;
	h = getmaxy(w);
	if (s->ops->draw != NULL)
		used = s->ops->draw(s, w, ui.cols, h);
	if (s->ops->columns != NULL && used < h) {
		if (!s->loaded && req_owner_busy(&s->owner))
			ui_text(w, used + 1, 2, ui.cols - 2, "loading...",
			    UI_DIM, UI_LEFT);
		else
			table_draw(&s->table, w, used, h - used);
	}
}

void
draw_status(struct console *con)
{
	char	buf[128];

	ui_erase(ui.status, UI_NORMAL);
	if (con->status[0] != '\0') {
		ui_text(ui.status, 0, 0, ui.cols, con->status,
		    con->status_role, UI_LEFT);
		return;
	}
	if (con->running != NULL) {
		snprintf(buf, sizeof buf, "%s %s%s (Esc cancels)",
		    draw_spinner(con), loop_interrupted(con->loop) ?
		    "cancelling: " : "running: ", con->running);
		ui_text(ui.status, 0, 0, ui.cols, buf, UI_DIM, UI_LEFT);
		return;
	}
	if (console_busy(con)) {
		snprintf(buf, sizeof buf, "%s loading%s (Esc cancels)",
		    draw_spinner(con), ui_ellipsis());
		ui_text(ui.status, 0, 0, ui.cols, buf, UI_DIM, UI_LEFT);
	}
}

static int
draw_hint(int x, int key, enum action a)
{
	char	 kb[32], label[64];
	int	 kw, lw;

	keymap_key_name(key, kb, sizeof kb);
	snprintf(label, sizeof label, " %s  ", action_name[a]);
	kw = ui_width(kb);
	lw = ui_width(label);
	if (x + kw + lw > ui.cols)
		return (-1);
	ui_text(ui.foot, 0, x, kw, kb, UI_KEY, UI_LEFT);
	ui_text(ui.foot, 0, x + kw, lw, label, UI_NORMAL, UI_LEFT);
	return (x + kw + lw);
}

/* Key hints that fit: the screen's, then the global ones. */
void
draw_foot(struct console *con)
{
	const struct keybind	*maps[2], *k;
	struct screen		*s;
	unsigned char		 seen[ACTION_COUNT];
	int			 x, m, nx;

	ui_erase(ui.foot, UI_NORMAL);
	if ((s = TAILQ_LAST(&con->stack, screen_stack)) == NULL)
		return;
	memset(seen, 0, sizeof seen);
	maps[0] = s->ops->keys;
	maps[1] = keymap_global;
	x = 0;
	for (m = 0; m < 2; m++) {
		for (k = maps[m]; k != NULL && k->action != ACTION_NONE; k++) {
			if (!(action_flags[k->action] & ACTF_HINT) ||
			    seen[k->action])
				continue;
			if ((action_flags[k->action] & ACTF_TABLE) &&
			    s->ops->columns == NULL)
				continue;
			if ((action_flags[k->action] & ACTF_MUTATES) &&
			    console_read_only(con))
				continue;
			seen[k->action] = 1;
			if ((nx = draw_hint(x, k->key, k->action)) == -1)
				return;
			x = nx;
		}
	}
}
