/*
 * session.c: settings + loop + (once connected) the resolved context and
 * its http and harbor clients. See session.h for the resolution order.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/secret.h"
#include "berth/session.h"
#include "berth/settings.h"
#include "berth/xmalloc.h"

static void
session_set_str(const char **field, const char *value)
{
	if (value == NULL)
		return;
	free((char *)(uintptr_t)*field);
	*field = xstrdup(value);
}

static void
session_free_opts(struct session_opts *o)
{
	free((char *)(uintptr_t)o->config);
	free((char *)(uintptr_t)o->context);
	free((char *)(uintptr_t)o->url);
	free((char *)(uintptr_t)o->user);
	free((char *)(uintptr_t)o->ca_file);
	memset(o, 0, sizeof *o);
}

void
session_merge_opts(struct session *s, const struct session_opts *o)
{
	session_set_str(&s->opts.config, o->config);
	session_set_str(&s->opts.context, o->context);
	session_set_str(&s->opts.url, o->url);
	session_set_str(&s->opts.user, o->user);
	session_set_str(&s->opts.ca_file, o->ca_file);
	if (o->insecure)
		s->opts.insecure = 1;
	if (o->read_only)
		s->opts.read_only = 1;
	if (o->password_stdin)
		s->opts.password_stdin = 1;
}

int
session_new(const struct session_opts *opts, struct session **out,
    struct berr *err)
{
	struct session	*s;

	*out = NULL;
	s = xcalloc(1, sizeof *s);
	if (opts != NULL)
		session_merge_opts(s, opts);
	if (settings_load(s->opts.config, &s->settings, err) == -1) {
		session_free_opts(&s->opts);
		free(s);
		return (-1);
	}
	s->loop = loop_new();
	*out = s;
	return (0);
}

void
session_disconnect(struct session *s)
{
	if (s == NULL || !s->connected)
		return;
	/* http first: it cancels every request without calling back. */
	http_free(s->http);
	harbor_free(s->harbor);
	s->http = NULL;
	s->harbor = NULL;
	secret_free(s->password);
	s->password = NULL;
	context_clear(&s->ctx);
	memset(&s->ctx, 0, sizeof s->ctx);
	free(s->label);
	s->label = NULL;
	s->read_only = 0;
	s->connected = 0;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_disconnect(s);
	loop_free(s->loop);
	settings_free(s->settings);
	session_free_opts(&s->opts);
	free(s);
}

/* Command-line options over the resolved context. */
static void
session_apply_opts(struct session *s)
{
	struct context	*c = &s->ctx;

	if (s->opts.url != NULL) {
		free(c->url);
		c->url = xstrdup(s->opts.url);
	}
	if (s->opts.user != NULL) {
		free(c->user);
		c->user = xstrdup(s->opts.user);
	}
	if (s->opts.ca_file != NULL) {
		free(c->ca_file);
		c->ca_file = xstrdup(s->opts.ca_file);
	}
	if (s->opts.insecure)
		c->insecure = 1;
	if (s->opts.read_only)
		c->read_only = 1;
}

/* The password, from the first source that applies (see session.h). */
static int
session_password(struct session *s, struct berr *err)
{
	char	*prompt;
	int	 rv;

	if (s->opts.password_stdin)
		return (secret_from_fd(STDIN_FILENO, &s->password, err) == -1 ?
		    berr_prefix(err, "--password-stdin") : 0);
	if (s->ctx.password_source != NULL && *s->ctx.password_source != '\0')
		return (secret_from_source(s->ctx.password_source, NULL,
		    &s->password, err) == -1 ?
		    berr_prefix(err, "password") : 0);
	if (isatty(STDIN_FILENO)) {
		xasprintf(&prompt, "Password for %s at %s: ", s->ctx.user,
		    s->ctx.url);
		rv = secret_from_prompt(prompt, &s->password, err);
		free(prompt);
		return (rv);
	}
	return (berr_set(err, BERR_CONFIG, 0, "no password for %s: set "
	    "password_source in the context, HARBOR_PASSWORD, or use "
	    "--password-stdin", s->ctx.user));
}

static int
session_clients(struct session *s, struct berr *err)
{
	struct http_opts	ho;

	if (s->ctx.ca_file != NULL && access(s->ctx.ca_file, R_OK) == -1)
		return (berr_set(err, BERR_CONFIG, 0,
		    "ca file %s: not readable", s->ctx.ca_file));
	memset(&ho, 0, sizeof ho);
	ho.ca_file = s->ctx.ca_file;
	ho.insecure = s->ctx.insecure;
	ho.max_retries = -1;
	s->http = http_new(s->loop, &ho);
	s->harbor = harbor_new(s->loop, s->http, s->ctx.url, s->ctx.user,
	    s->password);
	return (0);
}

int
session_connect(struct session *s, struct berr *err)
{
	if (s->connected)
		return (0);
	if (settings_resolve(s->settings, s->opts.context, &s->ctx, err) == -1)
		goto fail;
	session_apply_opts(s);
	if (context_check(&s->ctx, err) == -1)
		goto fail;
	if (s->ctx.user == NULL || *s->ctx.user == '\0') {
		berr_set(err, BERR_CONFIG, 0, "no user for %s: set user in the "
		    "context, HARBOR_USERNAME, or use --user", s->ctx.url);
		goto fail;
	}
	if (session_password(s, err) == -1 || session_clients(s, err) == -1)
		goto fail;
	s->read_only = s->ctx.read_only;
	if (s->ctx.name != NULL)
		xasprintf(&s->label, "%s (%s)", s->ctx.name, s->ctx.url);
	else
		s->label = xstrdup(s->ctx.url);
	s->connected = 1;
	return (0);
fail:
	http_free(s->http);
	harbor_free(s->harbor);
	s->http = NULL;
	s->harbor = NULL;
	secret_free(s->password);
	s->password = NULL;
	context_clear(&s->ctx);
	memset(&s->ctx, 0, sizeof s->ctx);
	return (-1);
}

int
session_use(struct session *s, const char *name, struct berr *err)
{
	if (settings_find(s->settings, name) == NULL)
		return (berr_set(err, BERR_CONFIG, 0,
		    "context \"%s\" not found", name));
	session_disconnect(s);
	session_free_opts(&s->opts);
	s->opts.context = xstrdup(name);
	return (session_connect(s, err));
}

const char *
session_label(const struct session *s)
{
	if (s->label != NULL)
		return (s->label);
	return ("(not connected)");
}
