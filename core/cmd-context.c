/*
 * cmd-context.c: context list|add|use|remove. These edit the config file
 * only; they never connect to Harbor and never take a password.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/output.h"
#include "berth/settings.h"
#include "berth/xmalloc.h"

#define CONTEXT_PASSWORD_WHY "passwords are never accepted on the command " \
	"line: use --password-source (file:PATH, command:CMD, env:VAR, "    \
	"prompt or stdin)"

static const char *
cmd_context_bool(int b)
{
	return (b ? "yes" : "no");
}

static int
cmd_context_list(struct cmd_ctx *ctx)
{
	struct settings		*s = ctx->session->settings;
	struct output_table	*t;
	struct context		*c;
	cJSON			*a, *o;
	int			 cur;
	static const char	*titles[] = {
		"CURRENT", "NAME", "URL", "USER", "READ-ONLY", "INSECURE"
	};

	if (cmd_parse(ctx, NULL, 0, 0) == -1)
		return (-1);
	if (ctx->format == OUTPUT_JSON) {
		a = cJSON_CreateArray();
		TAILQ_FOREACH(c, &s->contexts, entry) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", c->name);
			cJSON_AddBoolToObject(o, "current", s->current != NULL &&
			    strcmp(s->current, c->name) == 0);
#define STR(k, v) ((v) != NULL ? cJSON_AddStringToObject(o, k, v) : \
	cJSON_AddNullToObject(o, k))
			STR("url", c->url);
			STR("user", c->user);
			STR("password_source", c->password_source);
			STR("ca_file", c->ca_file);
#undef STR
			cJSON_AddBoolToObject(o, "insecure", c->insecure);
			cJSON_AddBoolToObject(o, "read_only", c->read_only);
			cJSON_AddItemToArray(a, o);
		}
		output_json(ctx->out, a);
		cJSON_Delete(a);
		return (0);
	}
	t = output_table_new(nitems(titles), titles);
	TAILQ_FOREACH(c, &s->contexts, entry) {
		cur = s->current != NULL && strcmp(s->current, c->name) == 0;
		output_table_addv(t, cur ? "*" : "", c->name, c->url, c->user,
		    cmd_context_bool(c->read_only),
		    cmd_context_bool(c->insecure));
	}
	output_table_print(t, ctx->out);
	output_table_free(t);
	return (0);
}

/* A password_source must be one the secret layer knows. */
static int
cmd_context_source_ok(const char *src, struct berr *err)
{
	if (strncmp(src, "env:", 4) == 0 || strncmp(src, "file:", 5) == 0 ||
	    strncmp(src, "command:", 8) == 0 || strcmp(src, "prompt") == 0 ||
	    strcmp(src, "stdin") == 0)
		return (0);
	return (berr_set(err, BERR_USAGE, 0, "--password-source: expected "
	    "env:VAR, file:PATH, command:CMD, prompt or stdin"));
}

/* Store absolute paths: the config is read from any directory. */
static char *
cmd_context_abspath(const char *path)
{
	char	buf[PATH_MAX];

	if (path[0] != '/' && realpath(path, buf) != NULL)
		return (xstrdup(buf));
	return (xstrdup(path));
}

static int
cmd_context_add(struct cmd_ctx *ctx)
{
	struct settings	*s = ctx->session->settings;
	struct context	*c;
	const char	*url = NULL, *user = NULL, *src = NULL, *ca = NULL;
	const char	*pw = NULL;
	int		 insecure = 0, ro = 0, use = 0;
	struct cmd_option opts[] = {
		{ "url", 0, CMD_OPT_STR, &url, NULL },
		{ "user", 0, CMD_OPT_STR, &user, NULL },
		{ "password-source", 0, CMD_OPT_STR, &src, NULL },
		{ "ca-file", 0, CMD_OPT_STR, &ca, NULL },
		{ "insecure", 0, CMD_OPT_FLAG, &insecure, NULL },
		{ "read-only", 0, CMD_OPT_FLAG, &ro, NULL },
		{ "use", 0, CMD_OPT_FLAG, &use, NULL },
		{ "password", 0, CMD_OPT_REFUSE, &pw, CONTEXT_PASSWORD_WHY },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cmd_parse(ctx, opts, 1, 1) == -1)
		return (-1);
	if (url == NULL)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--url is needed"));
	if (src != NULL && cmd_context_source_ok(src, &ctx->err) == -1)
		return (-1);
	if (!context_name_valid(ctx->args[0]))
		return (berr_set(&ctx->err, BERR_USAGE, 0, "invalid context "
		    "name: 1-64 characters of A-Z a-z 0-9 . _ -"));
	c = context_new(ctx->args[0]);
	c->url = xstrdup(url);
	c->user = user != NULL ? xstrdup(user) : NULL;
	c->password_source = src != NULL ? xstrdup(src) : NULL;
	c->ca_file = ca != NULL ? cmd_context_abspath(ca) : NULL;
	c->insecure = insecure;
	c->read_only = ro;
	if (context_check(c, &ctx->err) == -1) {
		context_free(c);
		return (-1);
	}
	if (settings_add(s, c, &ctx->err) == -1)
		return (-1);
	if ((use || s->current == NULL) &&
	    settings_use(s, ctx->args[0], &ctx->err) == -1)
		return (-1);
	if (settings_save(s, &ctx->err) == -1)
		return (-1);
	if (ctx->format == OUTPUT_TABLE)
		fprintf(ctx->out, "context \"%s\" saved in %s%s\n",
		    ctx->args[0], s->path, strcmp(s->current, ctx->args[0]) == 0 ?
		    " (current)" : "");
	return (0);
}

static int
cmd_context_use(struct cmd_ctx *ctx)
{
	struct settings	*s = ctx->session->settings;

	if (cmd_parse(ctx, NULL, 1, 1) == -1)
		return (-1);
	if (settings_use(s, ctx->args[0], &ctx->err) == -1 ||
	    settings_save(s, &ctx->err) == -1)
		return (-1);
	if (ctx->format == OUTPUT_TABLE)
		fprintf(ctx->out, "current context: %s\n", ctx->args[0]);
	return (0);
}

static int
cmd_context_remove(struct cmd_ctx *ctx)
{
	struct settings	*s = ctx->session->settings;

	if (cmd_parse(ctx, NULL, 1, 1) == -1)
		return (-1);
	if (settings_find(s, ctx->args[0]) == NULL)
		return (berr_set(&ctx->err, BERR_CONFIG, 0,
		    "context \"%s\" not found", ctx->args[0]));
	if (settings_remove(s, ctx->args[0], &ctx->err) == -1 ||
	    settings_save(s, &ctx->err) == -1)
		return (-1);
	if (ctx->format == OUTPUT_TABLE)
		fprintf(ctx->out, "context \"%s\" removed\n", ctx->args[0]);
	return (0);
}

const struct cmd_entry cmd_context[] = {
	{ "context list", "[-o table|json]",
	  "list the contexts in the config file", NULL,
	  CMD_NOSESSION, cmd_context_list },
	{ "context add", "NAME --url URL [--user USER] "
	  "[--password-source SOURCE] [--ca-file FILE] [--insecure] "
	  "[--read-only] [--use]",
	  "add or replace a context (a Harbor to talk to)",
	  "SOURCE is env:VAR, file:PATH, command:CMD, prompt or stdin; a "
	  "password is\nnever accepted on the command line. The first "
	  "context added (or --use)\nbecomes the current one. The config "
	  "file is written with mode 0600.",
	  CMD_NOSESSION | CMD_CLIONLY, cmd_context_add },
	{ "context use", "NAME", "make NAME the current context", NULL,
	  CMD_NOSESSION, cmd_context_use },
	{ "context remove", "NAME", "remove a context", NULL,
	  CMD_NOSESSION | CMD_CLIONLY, cmd_context_remove },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};
