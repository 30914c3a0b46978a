/*
 * cmd-status.c: status (Harbor version, user, admin or not, health) and
 * help. status sends its three requests at once and waits for all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/model.h"
#include "berth/output.h"
#include "berth/session.h"
#include "berth/xmalloc.h"

struct cmd_status_data {
	struct systeminfo	*si;
	struct user		*user;
	struct health		*health;
	struct berr		 err[3];	/* systeminfo, user, health */
};

static void
cmd_status_si(const struct berr *err, struct systeminfo *si, void *arg)
{
	struct cmd_status_data	*d = arg;

	if (err != NULL)
		d->err[0] = *err;
	d->si = si;
}

static void
cmd_status_user(const struct berr *err, struct user *u, void *arg)
{
	struct cmd_status_data	*d = arg;

	if (err != NULL)
		d->err[1] = *err;
	d->user = u;
}

static void
cmd_status_health(const struct berr *err, struct health *h, void *arg)
{
	struct cmd_status_data	*d = arg;

	if (err != NULL)
		d->err[2] = *err;
	d->health = h;
}

/* The error to report: connection/TLS/auth ones first (exit 3). */
static const struct berr *
cmd_status_error(const struct cmd_status_data *d)
{
	size_t	i;

	for (i = 0; i < nitems(d->err); i++) {
		if (berr_exit_code(&d->err[i]) == 3)
			return (&d->err[i]);
	}
	for (i = 0; i < nitems(d->err); i++) {
		if (d->err[i].kind != BERR_NONE)
			return (&d->err[i]);
	}
	return (NULL);
}

static void
cmd_status_json(struct cmd_ctx *ctx, const struct cmd_status_data *d)
{
	const struct session	*s = ctx->session;
	cJSON			*o, *h;

	o = cJSON_CreateObject();
	if (s->ctx.name != NULL)
		cJSON_AddStringToObject(o, "context", s->ctx.name);
	else
		cJSON_AddNullToObject(o, "context");
	cJSON_AddStringToObject(o, "url", harbor_url(s->harbor));
	if (d->si->harbor_version != NULL)
		cJSON_AddStringToObject(o, "harbor_version",
		    d->si->harbor_version);
	else
		cJSON_AddNullToObject(o, "harbor_version");
	if (d->si->auth_mode != NULL)
		cJSON_AddStringToObject(o, "auth_mode", d->si->auth_mode);
	else
		cJSON_AddNullToObject(o, "auth_mode");
	cJSON_AddStringToObject(o, "user", d->user->username);
	cJSON_AddBoolToObject(o, "admin", d->user->sysadmin);
	cJSON_AddBoolToObject(o, "read_only", s->read_only);
	cJSON_AddBoolToObject(o, "harbor_read_only", d->si->read_only);
	h = model_health_json(d->health);
	cJSON_AddItemToObject(o, "health", h);
	output_json(ctx->out, o);
	cJSON_Delete(o);
}

static void
cmd_status_table(struct cmd_ctx *ctx, const struct cmd_status_data *d)
{
	const struct session	*s = ctx->session;
	struct output_table	*t;
	const struct health_component *c;
	size_t			 i;
	static const char	*titles[] = { "COMPONENT", "STATUS", "ERROR" };

	t = output_table_new(2, NULL);
	output_table_addv(t, "context:", s->ctx.name != NULL ? s->ctx.name :
	    "(none)");
	output_table_addv(t, "url:", harbor_url(s->harbor));
	output_table_addv(t, "harbor:", d->si->harbor_version);
	output_table_addv(t, "user:", d->user->username);
	output_table_addv(t, "admin:", d->user->sysadmin ? "yes" : "no");
	output_table_addv(t, "read-only:", s->read_only ? "yes" : "no");
	output_table_addv(t, "health:", d->health->status);
	output_table_print(t, ctx->out);
	output_table_free(t);
	if (d->health->ncomponents == 0)
		return;
	fputc('\n', ctx->out);
	t = output_table_new(3, titles);
	for (i = 0; i < d->health->ncomponents; i++) {
		c = &d->health->components[i];
		output_table_addv(t, c->name, c->status, c->error);
	}
	output_table_print(t, ctx->out);
	output_table_free(t);
}

static int
cmd_status_exec(struct cmd_ctx *ctx)
{
	struct cmd_status_data	 d;
	struct harbor		*h;
	struct req_owner	 o;
	const struct berr	*e;

	if (cmd_parse(ctx, NULL, 0, 0) == -1 || cmd_connect(ctx) == -1)
		return (-1);
	h = ctx->session->harbor;
	memset(&d, 0, sizeof d);
	req_owner_init(&o);
	harbor_systeminfo(h, &o, cmd_status_si, &d);
	harbor_current_user(h, &o, cmd_status_user, &d);
	harbor_health(h, &o, cmd_status_health, &d);
	if (http_wait(ctx->session->loop, &o) == -1) {
		harbor_cancel(h, &o);
		berr_set(&ctx->err, BERR_CANCELLED, 0, "interrupted");
		goto out;
	}
	if ((e = cmd_status_error(&d)) != NULL) {
		ctx->err = *e;
		goto out;
	}
	if (ctx->format == OUTPUT_JSON)
		cmd_status_json(ctx, &d);
	else
		cmd_status_table(ctx, &d);
out:
	systeminfo_free(d.si);
	user_free(d.user);
	health_free(d.health);
	return (ctx->err.kind == BERR_NONE ? 0 : -1);
}

static int
cmd_help_exec(struct cmd_ctx *ctx)
{
	const struct cmd_entry	*e;
	int			 nw;

	if (cmd_parse(ctx, NULL, 0, -1) == -1)
		return (-1);
	if (ctx->nargs == 0) {
		cmd_usage(ctx->out);
		return (0);
	}
	e = cmd_find(ctx->nargs, ctx->args, &nw);
	if (e != NULL && nw == ctx->nargs) {
		cmd_help(ctx->out, e);
		return (0);
	}
	if (ctx->nargs == 1 && cmd_help_group(ctx->out, ctx->args[0]) > 0)
		return (0);
	return (berr_set(&ctx->err, BERR_USAGE, 0, "no command \"%.60s\"",
	    ctx->args[0]));
}

const struct cmd_entry cmd_status[] = {
	{ "status", "[-o table|json]",
	  "show Harbor's version, the user (admin or not) and health",
	  "Reads /systeminfo, /users/current and /health at once. Exit "
	  "status 3 when\nHarbor cannot be reached or the credentials are "
	  "refused.",
	  0, cmd_status_exec },
	{ "help", "[COMMAND]", "show the commands, or one command's help",
	  NULL, CMD_NOSESSION, cmd_help_exec },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};
