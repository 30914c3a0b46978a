/*
 * oci.c: OCI distribution client: the auth dance (anonymous, then a
 * Bearer token per scope or Basic), token cache, catalog and tags with
 * Link pages, manifests. Parsers live in oci-parse.c.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

#include <cjson/cJSON.h>

#include "berth/oci.h"
#include "berth/berr.h"
#include "berth/http.h"
#include "berth/json.h"
#include "berth/loop.h"
#include "berth/sanitize.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define OCI_TOKENS_MAX	32		/* cached scopes */
#define OCI_TOKEN_BODY	(64 * 1024)
#define OCI_LIST_BODY	(8 * 1024 * 1024)
#define OCI_MANI_BODY	(4 * 1024 * 1024)
#define OCI_ITEM_MAX	512		/* one repository or tag name */

const char oci_manifest_accept[] =
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

struct oci_tok {
	char			*scope;		/* "" for no scope */
	struct secret		*tok;
	uint64_t		 expires;	/* loop_now_ms() */
	TAILQ_ENTRY(oci_tok)	 entry;
};

enum oci_call_kind {
	OCI_CALL_REQ,		/* oci_request */
	OCI_CALL_TOKEN,		/* oci_token */
	OCI_CALL_LIST,		/* catalog / tags */
	OCI_CALL_MANIFEST,
	OCI_CALL_PING
};

/* State of one asynchronous operation; freed when it completes. */
struct oci_call {
	struct oci		*oci;
	enum oci_call_kind	 kind;
	struct req_owner	*owner;
	char			*method;
	char			*url;
	char			*scope;
	char			*accept;
	int			 stage;		/* 1: auth already retried */
	void			*cb;
	void			*arg;
	struct oci_call		*parent;	/* token/request for a parent */
	struct loop_timer	*timer;
	/* lists */
	char			**v;
	size_t			 n, cap;
	int			 pages;
	const char		*key;
	char			*what;
	/* manifest */
	int			 head;
	TAILQ_ENTRY(oci_call)	 entry;
};

struct oci {
	struct loop		*loop;
	struct http		*http;
	struct oci_url		 url;
	char			*user;
	struct secret		*password;
	char			**allow;
	size_t			 nallow;
	long			 timeout_ms;
	int			 certinfo;
	char			*scheme;	/* last challenge */
	char			*realm;
	char			*service;
	int			 withheld;
	TAILQ_HEAD(, oci_tok)	 toks;
	size_t			 ntoks;
	TAILQ_HEAD(, oci_call)	 calls;
};

static void	oci_req_send(struct oci_call *, const struct secret *);
static void	oci_token_start(struct oci *, const char *,
		    struct req_owner *, struct oci_call *, oci_token_cb,
		    void *);

/* ---- helpers ------------------------------------------------------------ */

static struct oci_call *
oci_call_new(struct oci *oci, enum oci_call_kind kind,
    struct req_owner *owner, void *cb, void *arg)
{
	struct oci_call	*c;

	c = xcalloc(1, sizeof *c);
	c->oci = oci;
	c->kind = kind;
	c->owner = owner;
	c->cb = cb;
	c->arg = arg;
	TAILQ_INSERT_TAIL(&oci->calls, c, entry);
	return (c);
}

static void
oci_call_free(struct oci_call *c)
{
	if (c == NULL)
		return;
	TAILQ_REMOVE(&c->oci->calls, c, entry);
	if (c->timer != NULL)
		loop_timer_cancel(c->oci->loop, c->timer);
	free(c->method);
	free(c->url);
	free(c->scope);
	free(c->accept);
	oci_list_free(c->v, c->n);
	free(c->what);
	free(c);
}

char *
oci_error_text(const struct http_resp *resp)
{
	cJSON		*root, *errs, *e;
	const cJSON	*code, *msg;
	struct berr	 err;
	char		*out = NULL, *raw;

	if (resp == NULL || resp->body == NULL || resp->len == 0)
		return (NULL);
	if ((root = json_parse(resp->body, resp->len, &err)) == NULL)
		return (NULL);
	errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
	e = cJSON_IsArray(errs) ? cJSON_GetArrayItem(errs, 0) : NULL;
	if (e != NULL) {
		code = cJSON_GetObjectItemCaseSensitive(e, "code");
		msg = cJSON_GetObjectItemCaseSensitive(e, "message");
		xasprintf(&raw, "%.100s%s%.300s",
		    cJSON_IsString(code) ? code->valuestring : "",
		    cJSON_IsString(code) && cJSON_IsString(msg) ? ": " : "",
		    cJSON_IsString(msg) ? msg->valuestring : "");
		if (*raw != '\0')
			out = san_str(raw);
		free(raw);
	}
	cJSON_Delete(root);
	return (out);
}

/*
 * Fill err for a registry response that is not a success: 401/403 are
 * BERR_AUTH with the challenge's error, others BERR_HTTP.
 */
static void
oci_status_err(struct berr *err, const struct http_resp *resp,
    const char *what)
{
	struct oci_challenges	 cs;
	const char		*e = NULL;
	char			*text, *se = NULL;
	enum berr_kind		 kind;

	memset(&cs, 0, sizeof cs);	/* cleared below whatever the status */
	text = oci_error_text(resp);
	if (resp->status == 401 && oci_www_auth_parse(http_resp_header(resp,
	    "WWW-Authenticate"), &cs, NULL) == 0) {
		e = oci_challenge_param(oci_challenges_find(&cs, "bearer"),
		    "error");
		if (e != NULL)
			se = san_str(e);
	}
	if (resp->status == 401 || resp->status == 403)
		kind = BERR_AUTH;
	else
		kind = BERR_HTTP;
	berr_set(err, kind, resp->status, "%s: %s (HTTP %ld)%s%s%s%s", what,
	    resp->status == 401 ? "unauthorized" :
	    resp->status == 403 ? "denied" :
	    resp->status == 404 ? "not found" :
	    resp->status == 429 ? "too many requests" : "failed",
	    resp->status, se != NULL ? ": " : "", se != NULL ? se : "",
	    text != NULL ? ": " : "", text != NULL ? text : "");
	free(se);
	free(text);
	oci_challenges_clear(&cs);
}

/* Remember the registry's challenge (scheme, realm, service). */
static void
oci_note_challenge(struct oci *oci, const struct http_resp *resp)
{
	struct oci_challenges		 cs;
	const struct oci_challenge	*ch;
	const char			*hdr;

	hdr = http_resp_header(resp, "WWW-Authenticate");
	if (oci_www_auth_parse(hdr, &cs, NULL) == -1) {
		oci_challenges_clear(&cs);
		return;
	}
	if ((ch = oci_challenges_find(&cs, "bearer")) != NULL &&
	    oci_challenge_param(ch, "realm") != NULL) {
		free(oci->scheme);
		free(oci->realm);
		free(oci->service);
		oci->scheme = xstrdup("bearer");
		oci->realm = xstrdup(oci_challenge_param(ch, "realm"));
		oci->service = oci_challenge_param(ch, "service") ?
		    xstrdup(oci_challenge_param(ch, "service")) : NULL;
	} else if (oci_challenges_find(&cs, "basic") != NULL) {
		free(oci->scheme);
		oci->scheme = xstrdup("basic");
	}
	oci_challenges_clear(&cs);
}

static struct oci_tok *
oci_tok_find(struct oci *oci, const char *scope)
{
	struct oci_tok	*t, *tt;
	uint64_t	 now = loop_now_ms();

	TAILQ_FOREACH_SAFE(t, &oci->toks, entry, tt) {
		if (t->expires <= now) {
			TAILQ_REMOVE(&oci->toks, t, entry);
			oci->ntoks--;
			free(t->scope);
			secret_free(t->tok);
			free(t);
			continue;
		}
		if (strcmp(t->scope, scope != NULL ? scope : "") == 0)
			return (t);
	}
	return (NULL);
}

static void
oci_tok_drop(struct oci *oci, const char *scope)
{
	struct oci_tok	*t;

	if ((t = oci_tok_find(oci, scope)) == NULL)
		return;
	TAILQ_REMOVE(&oci->toks, t, entry);
	oci->ntoks--;
	free(t->scope);
	secret_free(t->tok);
	free(t);
}

static struct oci_tok *
oci_tok_add(struct oci *oci, const char *scope, struct secret *tok,
    long expires_in)
{
	struct oci_tok	*t;

	oci_tok_drop(oci, scope);
	if (oci->ntoks >= OCI_TOKENS_MAX) {
		t = TAILQ_FIRST(&oci->toks);
		TAILQ_REMOVE(&oci->toks, t, entry);
		oci->ntoks--;
		free(t->scope);
		secret_free(t->tok);
		free(t);
	}
	t = xcalloc(1, sizeof *t);
	t->scope = xstrdup(scope != NULL ? scope : "");
	t->tok = tok;
	/* Renew 10 s early (expires_in is at least 60). */
	t->expires = loop_now_ms() + (uint64_t)(expires_in - 10) * 1000;
	TAILQ_INSERT_TAIL(&oci->toks, t, entry);
	oci->ntoks++;
	return (t);
}

/* 1 if the token realm may receive our credentials. */
static int
oci_realm_trusted(struct oci *oci, const struct oci_url *ru)
{
	size_t	i;

	if (strcmp(ru->host, oci->url.host) == 0)
		return (1);
	for (i = 0; i < oci->nallow; i++) {
		if (strcasecmp(ru->host, oci->allow[i]) == 0)
			return (1);
	}
	return (0);
}

/* ---- client ------------------------------------------------------------- */

struct oci *
oci_new(struct loop *loop, struct http *http, const struct oci_opts *o,
    struct berr *err)
{
	struct oci	*oci;
	size_t		 i;

	oci = xcalloc(1, sizeof *oci);
	TAILQ_INIT(&oci->toks);
	TAILQ_INIT(&oci->calls);
	if (oci_url_parse(o->url, &oci->url, err) == -1) {
		oci_url_clear(&oci->url);
		free(oci);
		return (NULL);
	}
	oci->loop = loop;
	oci->http = http;
	oci->timeout_ms = o->timeout_ms;
	oci->certinfo = o->certinfo;
	if (o->user != NULL && *o->user != '\0') {
		oci->user = xstrdup(o->user);
		oci->password = secret_dup(o->password);
	}
	for (i = 0; o->realm_allow != NULL && o->realm_allow[i] != NULL; i++)
		;
	oci->nallow = i;
	if (i > 0) {
		oci->allow = xreallocarray(NULL, i, sizeof *oci->allow);
		for (i = 0; i < oci->nallow; i++)
			oci->allow[i] = xstrdup(o->realm_allow[i]);
	}
	return (oci);
}

void
oci_free(struct oci *oci)
{
	struct oci_tok	*t;
	size_t		 i;

	if (oci == NULL)
		return;
	while (!TAILQ_EMPTY(&oci->calls))
		oci_call_free(TAILQ_FIRST(&oci->calls));
	while ((t = TAILQ_FIRST(&oci->toks)) != NULL) {
		TAILQ_REMOVE(&oci->toks, t, entry);
		free(t->scope);
		secret_free(t->tok);
		free(t);
	}
	for (i = 0; i < oci->nallow; i++)
		free(oci->allow[i]);
	free(oci->allow);
	oci_url_clear(&oci->url);
	free(oci->user);
	secret_free(oci->password);
	free(oci->scheme);
	free(oci->realm);
	free(oci->service);
	free(oci);
}

const char *
oci_origin(const struct oci *oci)
{
	return (oci->url.origin);
}

int
oci_creds_withheld(const struct oci *oci)
{
	return (oci->withheld);
}

const char *
oci_auth_scheme(const struct oci *oci)
{
	return (oci->scheme);
}

const char *
oci_auth_realm(const struct oci *oci)
{
	return (oci->realm);
}

const char *
oci_auth_service(const struct oci *oci)
{
	return (oci->service);
}

/* ---- raw requests with the auth dance ----------------------------------- */

static void
oci_req_deliver(struct oci_call *c, const struct berr *err,
    struct http_resp *resp)
{
	oci_resp_cb	cb = (oci_resp_cb)c->cb;
	void		*arg = c->arg;

	oci_call_free(c);
	cb(err, resp, arg);
}

static void
oci_req_token_done(const struct berr *err, long status,
    const struct secret *tok, void *arg)
{
	struct oci_call	*c = arg;

	if (err != NULL) {
		oci_req_deliver(c, err, NULL);
		return;
	}
	oci_req_send(c, tok);
}

static void
oci_req_done(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;
	struct oci	*oci = c->oci;

	if (err != NULL || resp->status != 401 || c->stage) {
		oci_req_deliver(c, err, resp);
		return;
	}
	c->stage = 1;
	oci_note_challenge(oci, resp);
	if (oci->scheme != NULL && strcmp(oci->scheme, "bearer") == 0) {
		oci_tok_drop(oci, c->scope);
		oci_token_start(oci, c->scope, c->owner, c, oci_req_token_done,
		    c);
		return;
	}
	if (oci->scheme != NULL && strcmp(oci->scheme, "basic") == 0 &&
	    oci->user != NULL) {
		oci_req_send(c, NULL);
		return;
	}
	oci_req_deliver(c, NULL, resp);
}

/* Send (or resend) a call: with tok, with basic auth, or anonymously. */
static void
oci_req_send(struct oci_call *c, const struct secret *tok)
{
	struct oci		*oci = c->oci;
	struct http_reqspec	 rs;
	struct oci_tok		*t;
	char			*accept = NULL;
	const char		*hdrs[2] = { NULL, NULL };

	memset(&rs, 0, sizeof rs);
	rs.method = c->method;
	rs.url = c->url;
	rs.retry = -1;
	rs.timeout_ms = oci->timeout_ms;
	rs.max_body = c->kind == OCI_CALL_LIST ? OCI_LIST_BODY :
	    OCI_MANI_BODY;
	if (c->accept != NULL) {
		xasprintf(&accept, "Accept: %s", c->accept);
		hdrs[0] = accept;
		rs.headers = hdrs;
	}
	if (tok == NULL && oci->scheme != NULL &&
	    strcmp(oci->scheme, "bearer") == 0 &&
	    (t = oci_tok_find(oci, c->scope)) != NULL)
		tok = t->tok;
	if (tok != NULL) {
		rs.auth = HTTP_AUTH_BEARER;
		rs.token = tok;
	} else if (oci->scheme != NULL && strcmp(oci->scheme, "basic") == 0 &&
	    oci->user != NULL) {
		rs.auth = HTTP_AUTH_BASIC;
		rs.user = oci->user;
		rs.password = oci->password;
	}
	http_send(oci->http, &rs, c->owner, oci_req_done, c);
	free(accept);
}

/* Make an absolute same-origin URL from a path or URL; NULL if refused. */
static char *
oci_abs_url(struct oci *oci, const char *path)
{
	char	*u;
	size_t	 ol = strlen(oci->url.origin);

	if (path[0] == '/') {
		xasprintf(&u, "%s%s", oci->url.origin, path);
		return (u);
	}
	if (strncasecmp(path, oci->url.origin, ol) == 0 && path[ol] == '/')
		return (xstrdup(path));
	return (NULL);
}

static struct oci_call *
oci_req_new(struct oci *oci, enum oci_call_kind kind, const char *method,
    const char *url, const char *scope, const char *accept,
    struct req_owner *owner, void *cb, void *arg)
{
	struct oci_call	*c;

	c = oci_call_new(oci, kind, owner, cb, arg);
	c->method = xstrdup(method != NULL ? method : "GET");
	c->url = xstrdup(url);
	c->scope = scope != NULL ? xstrdup(scope) : NULL;
	c->accept = accept != NULL ? xstrdup(accept) : NULL;
	return (c);
}

static void
oci_fail_later_cb(void *arg)
{
	struct oci_call	*c = arg;
	struct berr	 err;

	c->timer = NULL;
	berr_set(&err, BERR_USAGE, 0, "oci: url not on the registry's origin");
	oci_req_deliver(c, &err, NULL);
}

void
oci_request(struct oci *oci, const char *method, const char *path,
    const char *scope, const char *accept, struct req_owner *owner,
    oci_resp_cb cb, void *arg)
{
	struct oci_call	*c;
	char		*url;

	url = oci_abs_url(oci, path);
	c = oci_req_new(oci, OCI_CALL_REQ, method, url != NULL ? url : "",
	    scope, accept, owner, cb, arg);
	free(url);
	if (*c->url == '\0') {
		c->timer = loop_timer_add(oci->loop, 0, oci_fail_later_cb, c);
		return;
	}
	oci_req_send(c, NULL);
}

static void
oci_v2_anon_done(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;

	if (err == NULL && resp->status == 401)
		oci_note_challenge(c->oci, resp);
	oci_req_deliver(c, err, resp);
}

void
oci_v2_anon(struct oci *oci, struct req_owner *owner, oci_resp_cb cb,
    void *arg)
{
	struct oci_call		*c;
	struct http_reqspec	 rs;

	c = oci_req_new(oci, OCI_CALL_REQ, "GET", "", NULL, NULL, owner, cb,
	    arg);
	free(c->url);
	xasprintf(&c->url, "%s/v2/", oci->url.origin);
	memset(&rs, 0, sizeof rs);
	rs.method = "GET";
	rs.url = c->url;
	rs.retry = -1;
	rs.timeout_ms = oci->timeout_ms;
	rs.max_body = OCI_TOKEN_BODY;
#ifdef HTTP_HAVE_CERTINFO
	rs.certinfo = oci->certinfo;
#endif
	http_send(oci->http, &rs, owner, oci_v2_anon_done, c);
}

/* ---- tokens --------------------------------------------------------------- */

static void
oci_token_deliver(struct oci_call *c, const struct berr *err, long status,
    const struct secret *tok)
{
	oci_token_cb	cb = (oci_token_cb)c->cb;
	void		*arg = c->arg;

	oci_call_free(c);
	cb(err, status, tok, arg);
}

static void
oci_token_resp(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;
	struct oci_tok	*t;
	struct secret	*tok;
	struct berr	 e;
	char		*text;
	long		 exp;

	if (err != NULL) {
		e = *err;
		berr_prefix(&e, "token service");
		oci_token_deliver(c, &e, 0, NULL);
		return;
	}
	if (resp->status != 200) {
		text = oci_error_text(resp);
		berr_set(&e, resp->status == 401 || resp->status == 403 ?
		    BERR_AUTH : BERR_HTTP, resp->status,
		    "token service: %s (HTTP %ld)%s%s",
		    resp->status == 401 ? "credentials refused" :
		    resp->status == 403 ? "access denied" : "failed",
		    resp->status, text != NULL ? ": " : "",
		    text != NULL ? text : "");
		free(text);
		oci_token_deliver(c, &e, resp->status, NULL);
		return;
	}
	if (oci_token_parse(resp->body, resp->len, &tok, &exp, &e) == -1) {
		berr_prefix(&e, "token service");
		oci_token_deliver(c, &e, resp->status, NULL);
		return;
	}
	t = oci_tok_add(c->oci, c->scope, tok, exp);
	oci_token_deliver(c, NULL, resp->status, t->tok);
}

/* Ask the realm for a token; the challenge is known. */
static void
oci_token_fetch(struct oci_call *c)
{
	struct oci		*oci = c->oci;
	struct oci_url		 ru;
	struct http_reqspec	 rs;
	struct berr		 e;
	char			*svc = NULL, *sc = NULL, *q;

	if (oci_url_parse(oci->realm, &ru, &e) == -1 ||
	    (strcmp(oci->url.scheme, "https") == 0 &&
	    strcmp(ru.scheme, "https") != 0)) {
		oci_url_clear(&ru);
		berr_set(&e, BERR_AUTH, 0, "token service: realm is not a "
		    "usable https url");
		oci_token_deliver(c, &e, 0, NULL);
		return;
	}
	if (oci->service != NULL)
		svc = http_escape(oci->service);
	if (c->scope != NULL)
		sc = http_escape(c->scope);
	free(c->url);
	xasprintf(&c->url, "%s%s%s%s%s%s%s", oci->realm,
	    strchr(oci->realm, '?') != NULL ? "&" : "?",
	    svc != NULL ? "service=" : "", svc != NULL ? svc : "",
	    svc != NULL && sc != NULL ? "&" : "",
	    sc != NULL ? "scope=" : "", sc != NULL ? sc : "");
	q = c->url + strlen(c->url) - 1;
	if (*q == '?' || *q == '&')
		*q = '\0';
	free(svc);
	free(sc);
	memset(&rs, 0, sizeof rs);
	rs.method = "GET";
	rs.url = c->url;
	rs.retry = -1;
	rs.timeout_ms = oci->timeout_ms;
	rs.max_body = OCI_TOKEN_BODY;
	if (oci->user != NULL) {
		if (oci_realm_trusted(oci, &ru)) {
			rs.auth = HTTP_AUTH_BASIC;
			rs.user = oci->user;
			rs.password = oci->password;
		} else
			oci->withheld = 1;
	}
	oci_url_clear(&ru);
	http_send(oci->http, &rs, c->owner, oci_token_resp, c);
}

static void
oci_token_v2_done(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;
	struct berr	 e;

	if (err != NULL) {
		oci_token_deliver(c, err, 0, NULL);
		return;
	}
	if (c->oci->realm == NULL) {
		berr_set(&e, BERR_AUTH, 0, "registry asks for no bearer token "
		    "(GET /v2/: HTTP %ld)", resp->status);
		oci_token_deliver(c, &e, 0, NULL);
		return;
	}
	oci_token_fetch(c);
}

static void
oci_token_cached_cb(void *arg)
{
	struct oci_call	*c = arg;
	struct oci_tok	*t;

	c->timer = NULL;
	if ((t = oci_tok_find(c->oci, c->scope)) != NULL)
		oci_token_deliver(c, NULL, 200, t->tok);
	else
		oci_token_fetch(c);
}

static void
oci_token_start(struct oci *oci, const char *scope, struct req_owner *owner,
    struct oci_call *parent, oci_token_cb cb, void *arg)
{
	struct oci_call	*c;

	c = oci_call_new(oci, OCI_CALL_TOKEN, owner, cb, arg);
	c->scope = scope != NULL ? xstrdup(scope) : NULL;
	c->parent = parent;
	if (oci->realm == NULL) {
		oci_v2_anon(oci, owner, oci_token_v2_done, c);
		return;
	}
	if (oci_tok_find(oci, scope) != NULL) {
		/* From the loop, never from inside the caller. */
		c->timer = loop_timer_add(oci->loop, 0, oci_token_cached_cb, c);
		return;
	}
	oci_token_fetch(c);
}

void
oci_token(struct oci *oci, const char *scope, struct req_owner *owner,
    oci_token_cb cb, void *arg)
{
	oci_token_start(oci, scope, owner, NULL, cb, arg);
}

/* ---- ping ------------------------------------------------------------------ */

static void
oci_ping_done(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;
	oci_ping_cb	 cb = (oci_ping_cb)c->cb;
	void		*cbarg = c->arg;
	struct berr	 e;
	long		 status = resp != NULL ? resp->status : 0;

	oci_call_free(c);
	if (err != NULL) {
		cb(err, status, cbarg);
		return;
	}
	if (status >= 200 && status < 300) {
		cb(NULL, status, cbarg);
		return;
	}
	oci_status_err(&e, resp, "GET /v2/");
	cb(&e, status, cbarg);
}

void
oci_ping(struct oci *oci, struct req_owner *owner, oci_ping_cb cb, void *arg)
{
	struct oci_call	*c;

	c = oci_call_new(oci, OCI_CALL_PING, owner, cb, arg);
	oci_request(oci, "GET", "/v2/", NULL, NULL, owner, oci_ping_done, c);
}

/* ---- lists --------------------------------------------------------------- */

static void
oci_list_deliver(struct oci_call *c, const struct berr *err)
{
	oci_list_cb	 cb = (oci_list_cb)c->cb;
	void		*arg = c->arg;
	char		**v = c->v;
	size_t		 n = c->n;

	c->v = NULL;
	c->n = 0;
	oci_call_free(c);
	cb(err, err == NULL ? v : NULL, err == NULL ? n : 0, arg);
	oci_list_free(v, n);
}

/* Append the names of one page; -1 with err on a bad body. */
static int
oci_list_page(struct oci_call *c, const struct http_resp *resp,
    struct berr *err)
{
	cJSON		*root, *e;
	const cJSON	*arr = NULL;
	int		 rc = -1;

	if ((root = json_parse(resp->body, resp->len, err)) == NULL)
		return (-1);
	if (!cJSON_IsObject(root)) {
		berr_set(err, BERR_JSON, 0, "expected object");
		goto out;
	}
	if (json_get_array(root, c->key, &arr, 0, err) == -1)
		goto out;
	cJSON_ArrayForEach(e, (cJSON *)arr) {
		if (!cJSON_IsString(e) || *e->valuestring == '\0' ||
		    strlen(e->valuestring) > OCI_ITEM_MAX)
			continue;
		if (c->n >= OCI_LIST_MAX) {
			berr_set(err, BERR_TOOBIG, 0, "more than %d entries",
			    OCI_LIST_MAX);
			goto out;
		}
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->v = xreallocarray(c->v, c->cap, sizeof *c->v);
		}
		c->v[c->n++] = xstrdup(e->valuestring);
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return (rc);
}

static void
oci_list_resp(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call	*c = arg;
	struct berr	 e;
	char		*next;

	if (err != NULL) {
		e = *err;
		berr_prefix(&e, "%s", c->what);
		oci_list_deliver(c, &e);
		return;
	}
	if (resp->status != 200) {
		oci_status_err(&e, resp, c->what);
		oci_list_deliver(c, &e);
		return;
	}
	if (oci_list_page(c, resp, &e) == -1) {
		berr_prefix(&e, "%s", c->what);
		oci_list_deliver(c, &e);
		return;
	}
	next = oci_link_next(http_resp_header(resp, "Link"), c->oci->url.origin);
	if (next == NULL) {
		oci_list_deliver(c, NULL);
		return;
	}
	if (++c->pages >= OCI_PAGES_MAX) {
		free(next);
		berr_set(&e, BERR_TOOBIG, 0, "%s: more than %d pages", c->what,
		    OCI_PAGES_MAX);
		oci_list_deliver(c, &e);
		return;
	}
	oci_request(c->oci, "GET", next, c->scope, "application/json",
	    c->owner, oci_list_resp, c);
	free(next);
}

/* Repository name as OCI allows it (lower case, a-z0-9 . _ - /). */
static int
oci_repo_ok(const char *r)
{
	size_t	i, n = strlen(r);

	if (n == 0 || n > 255 || r[0] == '/' || r[n - 1] == '/' ||
	    strstr(r, "//") != NULL || strstr(r, "..") != NULL)
		return (0);
	for (i = 0; i < n; i++) {
		if (!islower((u_char)r[i]) && !isdigit((u_char)r[i]) &&
		    strchr("._-/", r[i]) == NULL)
			return (0);
	}
	return (1);
}

static int
oci_ref_ok(const char *r)
{
	size_t	i, n = strlen(r);

	if (n == 0 || n > 200)
		return (0);
	for (i = 0; i < n; i++) {
		if (!isalnum((u_char)r[i]) && strchr("._-:+=", r[i]) == NULL)
			return (0);
	}
	return (r[0] != '.' && r[0] != '-');
}

static void
oci_bad_arg_cb(void *arg)
{
	struct oci_call	*c = arg;
	struct berr	 e;

	c->timer = NULL;
	berr_set(&e, BERR_USAGE, 0, "%s: invalid repository or reference",
	    c->what);
	if (c->kind == OCI_CALL_LIST)
		oci_list_deliver(c, &e);
	else {
		oci_manifest_cb	cb = (oci_manifest_cb)c->cb;
		void		*arg2 = c->arg;

		oci_call_free(c);
		cb(&e, NULL, arg2);
	}
}

static void
oci_list_start(struct oci *oci, const char *path, const char *scope,
    const char *key, const char *what, struct req_owner *owner,
    oci_list_cb cb, void *arg)
{
	struct oci_call	*c;

	c = oci_call_new(oci, OCI_CALL_LIST, owner, cb, arg);
	c->scope = xstrdup(scope);
	c->key = key;
	c->what = san_str(what);
	if (path == NULL) {
		c->timer = loop_timer_add(oci->loop, 0, oci_bad_arg_cb, c);
		return;
	}
	oci_request(oci, "GET", path, c->scope, "application/json", owner,
	    oci_list_resp, c);
}

void
oci_catalog(struct oci *oci, int n, struct req_owner *owner, oci_list_cb cb,
    void *arg)
{
	char	path[64];

	snprintf(path, sizeof path, "/v2/_catalog?n=%d",
	    n > 0 && n <= 1000 ? n : 100);
	oci_list_start(oci, path, "registry:catalog:*", "repositories",
	    "catalog", owner, cb, arg);
}

void
oci_tags(struct oci *oci, const char *repo, struct req_owner *owner,
    oci_list_cb cb, void *arg)
{
	char	*path = NULL, *scope = NULL, *what;
	int	 ok = oci_repo_ok(repo);

	if (ok) {
		xasprintf(&path, "/v2/%s/tags/list", repo);
		xasprintf(&scope, "repository:%s:pull", repo);
	}
	xasprintf(&what, "tags of %.255s", repo);
	oci_list_start(oci, path, ok ? scope : "", "tags", what, owner, cb,
	    arg);
	free(what);
	free(path);
	free(scope);
}

void
oci_list_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- manifests -------------------------------------------------------------- */

static int
oci_digest_ok(const char *d)
{
	const char	*c = strchr(d, ':');
	size_t		 i;

	if (c == NULL || c == d || strlen(d) > 200 || c[1] == '\0')
		return (0);
	for (i = 0; d + i < c; i++) {
		if (!islower((u_char)d[i]) && !isdigit((u_char)d[i]) &&
		    strchr("+._-", d[i]) == NULL)
			return (0);
	}
	for (c++; *c != '\0'; c++) {
		if (!isalnum((u_char)*c) && strchr("=_-", *c) == NULL)
			return (0);
	}
	return (1);
}

static void
oci_manifest_resp(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct oci_call		*c = arg;
	oci_manifest_cb		 cb = (oci_manifest_cb)c->cb;
	void			*cbarg = c->arg;
	struct oci_manifest	 m;
	struct berr		 e;
	const char		*h;

	memset(&m, 0, sizeof m);
	if (err != NULL) {
		e = *err;
		berr_prefix(&e, "%s", c->what);
	} else if (resp->status != 200)
		oci_status_err(&e, resp, c->what);
	else {
		m.status = resp->status;
		if ((h = http_resp_header(resp, "Content-Type")) != NULL)
			m.media_type = xstrndup(h, strcspn(h, "; \t"));
		h = http_resp_header(resp, "Docker-Content-Digest");
		if (h != NULL && oci_digest_ok(h))
			m.digest = xstrdup(h);
		if (!c->head && resp->body != NULL) {
			m.body = resp->body;
			m.len = resp->len;
			resp->body = NULL;
			resp->len = 0;
		}
	}
	oci_call_free(c);
	cb(m.status == 200 ? NULL : &e, m.status == 200 ? &m : NULL, cbarg);
	free(m.media_type);
	free(m.digest);
	free(m.body);
}

void
oci_manifest(struct oci *oci, const char *repo, const char *ref, int head,
    struct req_owner *owner, oci_manifest_cb cb, void *arg)
{
	struct oci_call	*c;
	char		*path, *scope;

	c = oci_call_new(oci, OCI_CALL_MANIFEST, owner, cb, arg);
	c->head = head;
	xasprintf(&path, "manifest %.255s:%.200s", repo, ref);
	c->what = san_str(path);
	free(path);
	if (!oci_repo_ok(repo) || !oci_ref_ok(ref)) {
		c->timer = loop_timer_add(oci->loop, 0, oci_bad_arg_cb, c);
		return;
	}
	xasprintf(&path, "/v2/%s/manifests/%s", repo, ref);
	xasprintf(&scope, "repository:%s:pull", repo);
	oci_request(oci, head ? "HEAD" : "GET", path, scope,
	    oci_manifest_accept, owner, oci_manifest_resp, c);
	free(path);
	free(scope);
}

void
oci_manifest_free(struct oci_manifest *m)
{
	if (m == NULL)
		return;
	free(m->media_type);
	free(m->digest);
	free(m->body);
	free(m);
}

/* ---- sync wrappers ---------------------------------------------------------- */

struct oci_sync {
	int			 done;
	struct berr		*err;
	char			**v;
	size_t			 n;
	struct oci_manifest	*m;
};

static void
oci_sync_wait(struct oci *oci, struct oci_sync *s)
{
	while (!s->done && !loop_quitting(oci->loop))
		loop_once(oci->loop, 1000);
	if (!s->done)
		berr_set(s->err, BERR_CANCELLED, 0, "interrupted");
}

static void
oci_sync_err(struct oci_sync *s, const struct berr *err)
{
	s->done = 1;
	if (err != NULL && s->err != NULL)
		*s->err = *err;
}

static void
oci_sync_ping_cb(const struct berr *err, long status, void *arg)
{
	oci_sync_err(arg, err);
}

int
oci_ping_sync(struct oci *oci, struct berr *err)
{
	struct oci_sync		s;
	struct req_owner	owner;
	struct berr		e;

	memset(&s, 0, sizeof s);
	berr_clear(&e);
	s.err = &e;
	req_owner_init(&owner);
	oci_ping(oci, &owner, oci_sync_ping_cb, &s);
	oci_sync_wait(oci, &s);
	req_owner_cancel(&owner);
	if (e.kind != BERR_NONE) {
		if (err != NULL)
			*err = e;
		return (-1);
	}
	return (0);
}

static void
oci_sync_list_cb(const struct berr *err, char **v, size_t n, void *arg)
{
	struct oci_sync	*s = arg;
	size_t		 i;

	oci_sync_err(s, err);
	if (err != NULL)
		return;
	s->n = n;
	s->v = xreallocarray(NULL, n + 1, sizeof *s->v);
	for (i = 0; i < n; i++)
		s->v[i] = xstrdup(v[i]);
}

static int
oci_list_sync(struct oci *oci, const char *repo, char ***v, size_t *n,
    struct berr *err)
{
	struct oci_sync		s;
	struct req_owner	owner;
	struct berr		e;

	memset(&s, 0, sizeof s);
	berr_clear(&e);
	s.err = &e;
	req_owner_init(&owner);
	if (repo == NULL)
		oci_catalog(oci, 100, &owner, oci_sync_list_cb, &s);
	else
		oci_tags(oci, repo, &owner, oci_sync_list_cb, &s);
	oci_sync_wait(oci, &s);
	req_owner_cancel(&owner);
	if (e.kind != BERR_NONE) {
		oci_list_free(s.v, s.n);
		if (err != NULL)
			*err = e;
		return (-1);
	}
	*v = s.v;
	*n = s.n;
	return (0);
}

int
oci_catalog_sync(struct oci *oci, char ***v, size_t *n, struct berr *err)
{
	return (oci_list_sync(oci, NULL, v, n, err));
}

int
oci_tags_sync(struct oci *oci, const char *repo, char ***v, size_t *n,
    struct berr *err)
{
	return (oci_list_sync(oci, repo, v, n, err));
}

static void
oci_sync_manifest_cb(const struct berr *err, const struct oci_manifest *m,
    void *arg)
{
	struct oci_sync	*s = arg;

	oci_sync_err(s, err);
	if (err != NULL)
		return;
	s->m = xcalloc(1, sizeof *s->m);
	s->m->status = m->status;
	s->m->media_type = m->media_type ? xstrdup(m->media_type) : NULL;
	s->m->digest = m->digest ? xstrdup(m->digest) : NULL;
	if (m->body != NULL) {
		s->m->body = xmalloc(m->len + 1);
		memcpy(s->m->body, m->body, m->len);
		s->m->body[m->len] = '\0';
		s->m->len = m->len;
	}
}

int
oci_manifest_sync(struct oci *oci, const char *repo, const char *ref,
    int head, struct oci_manifest **out, struct berr *err)
{
	struct oci_sync		s;
	struct req_owner	owner;
	struct berr		e;

	memset(&s, 0, sizeof s);
	berr_clear(&e);
	s.err = &e;
	req_owner_init(&owner);
	oci_manifest(oci, repo, ref, head, &owner, oci_sync_manifest_cb, &s);
	oci_sync_wait(oci, &s);
	req_owner_cancel(&owner);
	if (e.kind != BERR_NONE) {
		oci_manifest_free(s.m);
		if (err != NULL)
			*err = e;
		return (-1);
	}
	*out = s.m;
	return (0);
}
