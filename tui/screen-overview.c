/*
 * screen-overview.c: the first screen. Harbor's version and the health of
 * each component, counts of registries, projects and replication rules,
 * the executions running now with their progress, and the registries that
 * are unhealthy. One key per main screen. Live while executions run.
 *
 * Projects and replication rules are only counted (one request each with
 * page_size=1: Harbor's X-Total-Count), never listed: 5,000 projects
 * would be 50 pages. Registries are listed, since the unhealthy ones are
 * shown and Harbor has no filter on their status. The names of the rules
 * of running executions are fetched one by one and kept.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/model.h"
#include "berth/session.h"
#include "berth/xmalloc.h"
#include "tui.h"

#define OVERVIEW_MAXNAMES	64	/* rule names kept */

struct overview_name {
	int64_t			 id;		/* replication rule */
	char			*name;		/* NULL: not (yet) known */
};

struct overview {
	int			 pending;	/* requests of this load */
	struct berr		 err;		/* first failure of this load */
	struct systeminfo	*info;
	struct health		*health;
	struct registry_list	*regs;
	int64_t			 nprojects;	/* -1: not known yet */
	int64_t			 npolicies;	/* -1: not known yet */
	struct execution_list	*running;
	struct overview_name	 names[OVERVIEW_MAXNAMES];
	size_t			 nnames;
};

static const struct keybind screen_overview_keys[] = {
	{ 'r',	ACTION_SCREEN_REGISTRIES,	NULL },
	{ 'p',	ACTION_SCREEN_PROJECTS,		NULL },
	{ 'l',	ACTION_SCREEN_REPLICATIONS,	NULL },
	{ 0,	ACTION_NONE,			NULL }
};

/* One request finished: keep its result, report when all are in. */
static void
screen_overview_done(struct screen *s, const struct berr *err)
{
	struct overview	*o = s->data;

	if (err != NULL && o->err.kind == BERR_NONE)
		o->err = *err;
	if (--o->pending == 0)
		screen_loaded(s, o->err.kind != BERR_NONE ? &o->err : NULL);
	screen_dirty(s);
}

#define OVERVIEW_CB(name, type, field, freefn)				\
static void								\
screen_overview_##name##_cb(const struct berr *err, type *v, void *arg)	\
{									\
	struct screen	*s = arg;					\
	struct overview	*o = s->data;					\
									\
	if (err == NULL) {						\
		freefn(o->field);					\
		o->field = v;						\
	}								\
	screen_overview_done(s, err);					\
}
OVERVIEW_CB(info, struct systeminfo, info, systeminfo_free)
OVERVIEW_CB(health, struct health, health, health_free)
OVERVIEW_CB(regs, struct registry_list, regs, registry_list_free)
#undef OVERVIEW_CB

#define OVERVIEW_COUNT_CB(name, field)					\
static void								\
screen_overview_##name##_cb(const struct berr *err, int64_t n, void *arg)\
{									\
	struct screen	*s = arg;					\
	struct overview	*o = s->data;					\
									\
	if (err == NULL)						\
		o->field = n;						\
	screen_overview_done(s, err);					\
}
OVERVIEW_COUNT_CB(projects, nprojects)
OVERVIEW_COUNT_CB(policies, npolicies)
#undef OVERVIEW_COUNT_CB

static struct overview_name *
screen_overview_name(struct overview *o, int64_t id)
{
	size_t	i;

	for (i = 0; i < o->nnames; i++) {
		if (o->names[i].id == id)
			return (&o->names[i]);
	}
	return (NULL);
}

/* A rule's name came (a failure just leaves "?" until the next load). */
static void
screen_overview_policy_cb(const struct berr *err, struct policy *p,
    void *arg)
{
	struct screen		*s = arg;
	struct overview_name	*n;

	if (err == NULL && (n = screen_overview_name(s->data, p->id)) !=
	    NULL && n->name == NULL)
		n->name = xstrdup(p->name != NULL ? p->name : "?");
	policy_free(p);
	screen_overview_done(s, NULL);
}

/* Fetch the names of the running executions' rules not known yet. */
static void
screen_overview_names(struct screen *s)
{
	struct overview		*o = s->data;
	struct harbor		*h = screen_session(s)->harbor;
	struct execution	*e;
	size_t			 i;

	for (i = 0; o->running != NULL && i < o->running->n; i++) {
		e = &o->running->items[i];
		if (screen_overview_name(o, e->policy_id) != NULL ||
		    o->nnames == OVERVIEW_MAXNAMES)
			continue;
		o->names[o->nnames].id = e->policy_id;
		o->names[o->nnames++].name = NULL;
		o->pending++;
		harbor_policy_get(h, e->policy_id, &s->owner,
		    screen_overview_policy_cb, s);
	}
}

static void
screen_overview_running_cb(const struct berr *err,
    struct execution_list *l, void *arg)
{
	struct screen	*s = arg;
	struct overview	*o = s->data;

	if (err == NULL) {
		execution_list_free(o->running);
		o->running = l;
		screen_overview_names(s);
	}
	screen_overview_done(s, err);
}

/* Forget names that never came (failed or cancelled): ask again. */
static void
screen_overview_names_prune(struct overview *o)
{
	size_t	i, j;

	for (i = j = 0; i < o->nnames; i++) {
		if (o->names[i].name != NULL)
			o->names[j++] = o->names[i];
	}
	o->nnames = j;
}

static void
screen_overview_load(struct screen *s)
{
	struct overview		*o = s->data;
	struct harbor		*h = screen_session(s)->harbor;
	struct harbor_query	 q;

	berr_clear(&o->err);
	screen_overview_names_prune(o);
	o->pending = 6;
	memset(&q, 0, sizeof q);
	q.status = "InProgress";
	harbor_systeminfo(h, &s->owner, screen_overview_info_cb, s);
	harbor_health(h, &s->owner, screen_overview_health_cb, s);
	harbor_registries_list(h, NULL, &s->owner, screen_overview_regs_cb, s);
	harbor_projects_count(h, NULL, &s->owner, screen_overview_projects_cb,
	    s);
	harbor_policies_count(h, NULL, &s->owner, screen_overview_policies_cb,
	    s);
	harbor_executions_list(h, &q, &s->owner, screen_overview_running_cb,
	    s);
}

static void
screen_overview_enter(struct screen *s)
{
	struct overview	*o;

	o = s->data = xcalloc(1, sizeof (struct overview));
	o->nprojects = o->npolicies = -1;
}

static void
screen_overview_leave(struct screen *s)
{
	struct overview	*o = s->data;
	size_t		 i;

	systeminfo_free(o->info);
	health_free(o->health);
	registry_list_free(o->regs);
	execution_list_free(o->running);
	for (i = 0; i < o->nnames; i++)
		free(o->names[i].name);
	free(o);
}

/* Poll while executions run; stop when none is left. */
static int
screen_overview_live(struct screen *s)
{
	struct overview	*o = s->data;

	return (o->running != NULL && o->running->n > 0);
}

static enum ui_role
screen_overview_role(const char *status)
{
	if (status == NULL)
		return (UI_DIM);
	if (strcmp(status, "healthy") == 0)
		return (UI_GOOD);
	if (strcmp(status, "unhealthy") == 0)
		return (UI_BAD);
	return (UI_WARN);
}

static int
screen_overview_health(struct overview *o, WINDOW *w, int y, int width)
{
	struct health_component	*c;
	size_t			 i;
	int			 x, colw;

	ui_text(w, y, 1, 12, "Harbor", UI_TITLE, UI_LEFT);
	ui_text(w, y, 13, 24, o->info != NULL && o->info->harbor_version ?
	    o->info->harbor_version : "?", UI_NORMAL, UI_LEFT);
	ui_text(w, y, 38, 8, "overall", UI_DIM, UI_LEFT);
	ui_text(w, y, 46, width - 47, o->health != NULL ? o->health->status :
	    "?", screen_overview_role(o->health != NULL ? o->health->status :
	    NULL), UI_LEFT);
	y++;
	if (o->health == NULL)
		return (y);
	colw = (width - 2) / 3;
	for (i = 0; i < o->health->ncomponents; i++) {
		c = &o->health->components[i];
		x = 1 + (int)(i % 3) * colw;
		ui_text(w, y, x, 14, c->name, UI_NORMAL, UI_LEFT);
		ui_text(w, y, x + 14, colw - 15, c->status,
		    screen_overview_role(c->status), UI_LEFT);
		if (i % 3 == 2 || i + 1 == o->health->ncomponents)
			y++;
	}
	for (i = 0; i < o->health->ncomponents; i++) {
		c = &o->health->components[i];
		if (c->error != NULL && *c->error != '\0') {
			ui_textf(w, y, 3, width - 4, UI_BAD, "%s: %s",
			    c->name, c->error);
			y++;
		}
	}
	return (y);
}

static size_t
screen_overview_unhealthy(const struct overview *o)
{
	size_t	i, n = 0;

	for (i = 0; o->regs != NULL && i < o->regs->n; i++) {
		if (o->regs->items[i].status != NULL &&
		    strcmp(o->regs->items[i].status, "healthy") != 0)
			n++;
	}
	return (n);
}

static void
screen_overview_count(WINDOW *w, int y, const char *key, const char *what,
    const char *count, enum ui_role role)
{
	ui_text(w, y, 1, 3, key, UI_KEY, UI_LEFT);
	ui_text(w, y, 4, 20, what, UI_NORMAL, UI_LEFT);
	ui_text(w, y, 24, 40, count, role, UI_LEFT);
}

static const char *
screen_overview_policy(struct overview *o, int64_t id)
{
	struct overview_name	*n;

	if ((n = screen_overview_name(o, id)) == NULL || n->name == NULL)
		return ("?");
	return (n->name);
}

static int
screen_overview_execs(struct overview *o, WINDOW *w, int y, int width,
    int h)
{
	struct execution	*e;
	char			 bar[64], line[128];
	size_t			 i;
	int64_t			 done;
	int			 fill, j, bw = 20;

	for (i = 0; o->running != NULL && i < o->running->n && y < h; i++) {
		e = &o->running->items[i];
		done = e->succeed + e->failed + e->stopped;
		fill = e->total > 0 ? (int)(done * bw / e->total) : 0;
		for (j = 0; j < bw; j++)
			bar[j] = j < fill ? '#' : '.';
		bar[bw] = '\0';
		snprintf(line, sizeof line, "#%lld", (long long)e->id);
		ui_text(w, y, 3, 8, line, UI_NORMAL, UI_LEFT);
		ui_text(w, y, 11, 24, screen_overview_policy(o, e->policy_id),
		    UI_NORMAL, UI_LEFT);
		ui_text(w, y, 36, bw + 2, bar, UI_GOOD, UI_LEFT);
		snprintf(line, sizeof line, "%lld/%lld done, %lld failed",
		    (long long)done, (long long)e->total,
		    (long long)e->failed);
		ui_text(w, y, 36 + bw + 2, width - 39 - bw, line,
		    e->failed > 0 ? UI_BAD : UI_NORMAL, UI_LEFT);
		y++;
	}
	return (y);
}

static int
screen_overview_draw(struct screen *s, WINDOW *w, int width, int h)
{
	struct overview	*o = s->data;
	struct registry	*r;
	char		 buf[128];
	size_t		 i, bad;
	int		 y, nw;

	if (!s->loaded) {
		ui_text(w, 1, 1, width - 2, "loading...", UI_DIM, UI_LEFT);
		return (h);
	}
	y = screen_overview_health(o, w, 1, width) + 1;
	bad = screen_overview_unhealthy(o);
	snprintf(buf, sizeof buf, "%zu%s", o->regs ? o->regs->n : 0,
	    bad == 0 ? "" : "");
	if (bad > 0)
		snprintf(buf, sizeof buf, "%zu (%zu unhealthy)",
		    o->regs ? o->regs->n : 0, bad);
	screen_overview_count(w, y++, "r", "Registries", o->regs ? buf : "?",
	    bad > 0 ? UI_BAD : UI_NORMAL);
	snprintf(buf, sizeof buf, "%lld", (long long)o->nprojects);
	screen_overview_count(w, y++, "p", "Projects", o->nprojects >= 0 ?
	    buf : "?", UI_NORMAL);
	snprintf(buf, sizeof buf, "%lld", (long long)o->npolicies);
	screen_overview_count(w, y++, "l", "Replication rules",
	    o->npolicies >= 0 ? buf : "?", UI_NORMAL);
	snprintf(buf, sizeof buf, "%zu", o->running ? o->running->n : 0);
	screen_overview_count(w, y++, "", "Running now", o->running ? buf :
	    "?", UI_NORMAL);
	y++;
	if (o->running != NULL && o->running->n > 0 && y < h) {
		ui_text(w, y++, 1, width - 2, "Running executions", UI_TITLE,
		    UI_LEFT);
		y = screen_overview_execs(o, w, y, width, h) + 1;
	}
	if (bad > 0 && y < h) {
		ui_text(w, y++, 1, width - 2, "Unhealthy registries",
		    UI_TITLE, UI_LEFT);
		for (i = 0; i < o->regs->n && y < h; i++) {
			r = &o->regs->items[i];
			if (r->status == NULL || strcmp(r->status, "healthy")
			    == 0)
				continue;
			nw = (width - 16) / 2;
			ui_text(w, y, 3, nw, r->name, UI_NORMAL, UI_LEFT);
			ui_text(w, y, 4 + nw, 10, r->status,
			    screen_overview_role(r->status), UI_LEFT);
			ui_text(w, y, 15 + nw, width - 16 - nw, r->url, UI_DIM,
			    UI_LEFT);
			y++;
		}
	}
	return (h);
}

static const char *
screen_overview_copy(struct screen *s)
{
	return (screen_session(s)->ctx.url);
}

const struct screen_ops screen_overview_ops = {
	.name = "overview",
	.title = "Overview",
	.keys = screen_overview_keys,
	.live_ms = 3000,
	.enter = screen_overview_enter,
	.load = screen_overview_load,
	.leave = screen_overview_leave,
	.draw = screen_overview_draw,
	.copy = screen_overview_copy,
	.live = screen_overview_live,
};
