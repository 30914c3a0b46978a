/*
 * harbor.c: Harbor REST API v2.0 calls (see harbor.h).
 *
 * A call (struct harbor_call) is one API operation; it owns one or more
 * pages (struct harbor_page), each at most one http request in flight.
 * Single-object calls have one page. Lists fetch page 1, then the
 * remaining pages (known from X-Total-Count) HARBOR_PAGE_PARALLEL at a
 * time, or follow Link rel="next" one by one; each page is mapped when it
 * arrives and the pages are joined in order at the end.
 *
 * A call ends in harbor_finish(): pending requests cancelled, the call
 * unlinked from the harbor, the callback run, the call freed. The callback
 * may do anything (even free the harbor): nothing touches the call or the
 * harbor after it returns.
 */
#include "config.h"

#include <sys/queue.h>

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/json.h"
#include "berth/log.h"
#include "berth/model.h"
#include "berth/sanitize.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define HARBOR_API		"/api/v2.0"
#define HARBOR_MAX_PAGES	20000	/* 2 million items */
#define HARBOR_LINK_MAX		8192	/* Link header bytes */
#define HARBOR_PING_TIMEOUT_MS	30000

struct harbor_call;

/* How a call's response is turned into a result, and handed over. */
enum harbor_expect {
	HARBOR_EXPECT_NONE,	/* 2xx, no body of interest */
	HARBOR_EXPECT_ID,	/* 201 + Location */
	HARBOR_EXPECT_EXISTS,	/* 200 yes, 404 no */
	HARBOR_EXPECT_TEXT,	/* raw body */
	HARBOR_EXPECT_OBJECT,	/* one mapped object */
	HARBOR_EXPECT_LIST,	/* paged list */
	HARBOR_EXPECT_FIND,	/* paged list, then one by exact name */
	HARBOR_EXPECT_COUNT	/* page_size=1 for X-Total-Count; without
				   it, becomes a LIST that is counted */
};

struct harbor_ops {
	const char	*what;
	int		(*map)(const char *, size_t, void **, struct berr *);
	void		(*free)(void *);
	/* Lists: join pages in order (frees them), count, cut, find. */
	void		*(*join)(void **, size_t);
	size_t		(*count)(const void *);
	void		(*truncate)(void *, size_t);
	void		*(*find)(const void *, const char *);	/* a copy */
	void		(*deliver)(struct harbor_call *, const struct berr *,
			    void *);
};

struct harbor_page {
	struct harbor_call	*call;
	struct http_req		*req;		/* in flight, or NULL */
	char			*url;		/* Link mode: from the header */
	void			*list;		/* mapped page */
	int			 done;
};

struct harbor_call {
	struct harbor		*h;
	struct req_owner	*owner;
	TAILQ_ENTRY(harbor_call) entry;
	enum harbor_expect	 expect;
	const struct harbor_ops	*ops;
	void			(*cb)(void);	/* typed callback, cast back */
	void			*arg;

	/* The request. */
	char			*method;
	char			*url;		/* lists: without page params */
	int			 resource_name;	/* X-Is-Resource-Name: true */
	long			 timeout_ms;

	/* Lists. */
	struct harbor_page	**pages;
	size_t			 npages;	/* known so far */
	size_t			 next;		/* next page index to send */
	size_t			 pending;	/* requests in flight */
	size_t			 limit;		/* 0: all */
	int			 linkmode;
	char			*find_name;

	/* Scalar results. */
	int64_t			 id;
	int			 flag;
	size_t			 textlen;
};

TAILQ_HEAD(harbor_calls, harbor_call);

struct harbor {
	struct loop		*loop;
	struct http		*http;
	char			*url;		/* https://host[:port][/path] */
	char			*base;		/* url + /api/v2.0 */
	char			*origin;	/* https://host[:port] */
	char			*user;
	struct secret		*password;
	struct harbor_calls	 calls;
};

static void	harbor_page_send(struct harbor_call *, size_t);
static int	harbor_pages_link(struct harbor_call *, struct http_resp *,
		    size_t, struct berr *);

/* --- the client ------------------------------------------------------- */

/* Strip trailing slashes and a trailing /api/v2.0 (people paste those). */
static char *
harbor_normalise_url(const char *url)
{
	char	*u;
	size_t	 len, alen = strlen(HARBOR_API);

	u = xstrdup(url);
	for (;;) {
		len = strlen(u);
		while (len > 0 && u[len - 1] == '/')
			u[--len] = '\0';
		if (len >= alen && strcmp(u + len - alen, HARBOR_API) == 0)
			u[len - alen] = '\0';
		else
			break;
	}
	return (u);
}

/* "https://host:port/x" -> "https://host:port". */
static char *
harbor_origin(const char *url)
{
	const char	*p, *slash;

	if ((p = strstr(url, "://")) == NULL)
		return (xstrdup(url));
	slash = strchr(p + 3, '/');
	if (slash == NULL)
		return (xstrdup(url));
	return (xstrndup(url, (size_t)(slash - url)));
}

struct harbor *
harbor_new(struct loop *lp, struct http *http, const char *url,
    const char *user, const struct secret *password)
{
	struct harbor	*h;

	assert(url != NULL);
	h = xcalloc(1, sizeof *h);
	h->loop = lp;
	h->http = http;
	h->url = harbor_normalise_url(url);
	xasprintf(&h->base, "%s%s", h->url, HARBOR_API);
	h->origin = harbor_origin(h->url);
	if (user != NULL && *user != '\0') {
		h->user = xstrdup(user);
		h->password = secret_dup(password);
	}
	TAILQ_INIT(&h->calls);
	return (h);
}

static void harbor_call_free(struct harbor_call *);

void
harbor_free(struct harbor *h)
{
	struct harbor_call	*c;

	if (h == NULL)
		return;
	/* Our requests were (or will be) cancelled with the http client. */
	while ((c = TAILQ_FIRST(&h->calls)) != NULL) {
		TAILQ_REMOVE(&h->calls, c, entry);
		harbor_call_free(c);
	}
	free(h->url);
	free(h->base);
	free(h->origin);
	free(h->user);
	secret_free(h->password);
	free(h);
}

const char *
harbor_url(const struct harbor *h)
{
	return (h->url);
}

const char *
harbor_api_base(const struct harbor *h)
{
	return (h->base);
}

const char *
harbor_user(const struct harbor *h)
{
	return (h->user);
}

struct loop *
harbor_loop(const struct harbor *h)
{
	return (h->loop);
}

void
harbor_cancel(struct harbor *h, struct req_owner *owner)
{
	struct harbor_call	*c, *next;

	if (owner == NULL)
		return;
	for (c = TAILQ_FIRST(&h->calls); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->owner != owner)
			continue;
		TAILQ_REMOVE(&h->calls, c, entry);
		harbor_call_free(c);	/* requests: below, no callbacks */
	}
	req_owner_cancel(owner);
}

/* --- helpers ---------------------------------------------------------- */

static const char *
harbor_status_text(long status)
{
	static const struct {
		long		 status;
		const char	*text;
	} texts[] = {
		{ 400, "bad request" },
		{ 401, "unauthorized" },
		{ 403, "forbidden" },
		{ 404, "not found" },
		{ 405, "method not allowed" },
		{ 409, "conflict" },
		{ 412, "precondition failed" },
		{ 413, "payload too large" },
		{ 415, "unsupported media type" },
		{ 422, "unprocessable entity" },
		{ 429, "too many requests" },
		{ 500, "internal server error" },
		{ 501, "not implemented" },
		{ 502, "bad gateway" },
		{ 503, "service unavailable" },
		{ 504, "gateway timeout" },
	};
	size_t	i;

	for (i = 0; i < nitems(texts); i++) {
		if (texts[i].status == status)
			return (texts[i].text);
	}
	if (status >= 500)
		return ("server error");
	if (status >= 400)
		return ("client error");
	return ("unexpected status");
}

/* Append untrusted text to msg (sanitised), "; "-separated. */
static void
harbor_error_append(char *msg, size_t size, const char *s, size_t len)
{
	char	buf[BERR_MSGLEN];

	if (len == 0)
		return;
	san_copy(buf, sizeof buf, s, len);
	if (*msg != '\0')
		strlcat(msg, "; ", size);
	strlcat(msg, buf, size);
}

/* Messages from {"errors":[{"code","message"}]}; 0 if it was that shape. */
static int
harbor_error_json(const char *body, size_t len, char *msg, size_t size)
{
	const cJSON	*errors, *e, *m;
	struct berr	 jerr;
	cJSON		*root;

	if ((root = json_parse(body, len, &jerr)) == NULL)
		return (-1);
	errors = cJSON_IsObject(root) ?
	    cJSON_GetObjectItemCaseSensitive(root, "errors") : NULL;
	if (!cJSON_IsArray(errors)) {
		cJSON_Delete(root);
		return (-1);
	}
	cJSON_ArrayForEach(e, errors) {
		if (!cJSON_IsObject(e))
			continue;
		m = cJSON_GetObjectItemCaseSensitive(e, "message");
		if (!cJSON_IsString(m) || *m->valuestring == '\0')
			m = cJSON_GetObjectItemCaseSensitive(e, "code");
		if (cJSON_IsString(m))
			harbor_error_append(msg, size, m->valuestring,
			    strlen(m->valuestring));
	}
	cJSON_Delete(root);
	return (0);
}

int
harbor_error(long status, const char *body, size_t len, struct berr *err)
{
	char		 msg[BERR_MSGLEN] = "";
	const char	*nl;
	size_t		 n;

	if (body != NULL && len > 0 &&
	    harbor_error_json(body, len, msg, sizeof msg) == -1) {
		/* Not Harbor's shape: the first line, unless it is HTML. */
		while (len > 0 && (*body == ' ' || *body == '\n' ||
		    *body == '\r' || *body == '\t')) {
			body++;
			len--;
		}
		if (len > 0 && *body != '<' && *body != '{' && *body != '[') {
			nl = memchr(body, '\n', len);
			n = nl != NULL ? (size_t)(nl - body) : len;
			while (n > 0 && (body[n - 1] == '\r' ||
			    body[n - 1] == ' '))
				n--;
			harbor_error_append(msg, sizeof msg, body,
			    n > 200 ? 200 : n);
		}
	}
	return (berr_set(err, status == 401 ? BERR_AUTH : BERR_HTTP, status,
	    "harbor: %ld %s%s%s", status, harbor_status_text(status),
	    *msg != '\0' ? ": " : "", msg));
}

char *
harbor_repo_escape(const char *name)
{
	char	*once, *twice;

	once = http_escape(name);
	twice = http_escape(once);
	free(once);
	return (twice);
}

int64_t
harbor_location_id(const char *loc)
{
	const char	*p, *end, *errstr;
	char		*s;
	long long	 id;

	if (loc == NULL)
		return (-1);
	end = loc + strcspn(loc, "?#");
	while (end > loc && end[-1] == '/')
		end--;
	for (p = end; p > loc && p[-1] != '/'; p--)
		;
	if (p == end)
		return (-1);
	s = xstrndup(p, (size_t)(end - p));
	id = strtonum(s, 0, INT64_MAX, &errstr);
	free(s);
	if (errstr != NULL)
		return (-1);
	return ((int64_t)id);
}

/*
 * Link: <url>; rel="next", <url>; rel="prev". A value over
 * HARBOR_LINK_MAX is refused: each segment searches the rest of the
 * string, so the work grows with the square of the length.
 */
char *
harbor_link_next(const char *link)
{
	const char	*p, *lt, *gt, *end, *rel;

	if (link == NULL || strnlen(link, HARBOR_LINK_MAX + 1) >
	    HARBOR_LINK_MAX)
		return (NULL);
	for (p = link; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		if ((lt = strchr(p, '<')) == NULL ||
		    (gt = strchr(lt, '>')) == NULL)
			return (NULL);
		end = gt + strcspn(gt, ",");
		rel = strstr(gt, "rel=");
		if (rel != NULL && rel < end &&
		    (strncmp(rel, "rel=\"next\"", 10) == 0 ||
		    strncmp(rel, "rel=next", 8) == 0))
			return (xstrndup(lt + 1, (size_t)(gt - lt - 1)));
	}
	return (NULL);
}

/* --- calls ------------------------------------------------------------ */

static void
harbor_call_free(struct harbor_call *c)
{
	size_t	i;

	for (i = 0; i < c->npages; i++) {
		if (c->pages[i]->list != NULL)
			c->ops->free(c->pages[i]->list);
		free(c->pages[i]->url);
		free(c->pages[i]);
	}
	free(c->pages);
	free(c->method);
	free(c->url);
	free(c->find_name);
	free(c);
}

static struct harbor_call *
harbor_call_new(struct harbor *h, struct req_owner *owner,
    enum harbor_expect expect, const struct harbor_ops *ops,
    void (*cb)(void), void *arg)
{
	struct harbor_call	*c;

	c = xcalloc(1, sizeof *c);
	c->h = h;
	c->owner = owner;
	c->expect = expect;
	c->ops = ops;
	c->cb = cb;
	c->arg = arg;
	TAILQ_INSERT_TAIL(&h->calls, c, entry);
	return (c);
}

static struct harbor_page *
harbor_page_add(struct harbor_call *c, char *url)
{
	struct harbor_page	*pg;

	pg = xcalloc(1, sizeof *pg);
	pg->call = c;
	pg->url = url;
	c->pages = xreallocarray(c->pages, c->npages + 1, sizeof *c->pages);
	c->pages[c->npages++] = pg;
	return (pg);
}

/*
 * End the call: cancel what is still in flight, unlink, call back, free.
 * Exactly one of err and result is set (result may be NULL for calls
 * without one).
 */
static void
harbor_finish(struct harbor_call *c, const struct berr *err, void *result)
{
	size_t	i;

	for (i = 0; i < c->npages; i++) {
		if (c->pages[i]->req != NULL) {
			http_cancel(c->pages[i]->req);
			c->pages[i]->req = NULL;
		}
	}
	c->pending = 0;
	TAILQ_REMOVE(&c->h->calls, c, entry);
	c->h = NULL;
	if (err != NULL && result != NULL) {
		c->ops->free(result);
		result = NULL;
	}
	c->ops->deliver(c, err, result);
	harbor_call_free(c);
}

static void
harbor_fail(struct harbor_call *c, const struct berr *err)
{
	harbor_finish(c, err, NULL);
}

/* The full URL of page i (1-based page number i + 1). */
static char *
harbor_page_url(struct harbor_call *c, size_t i)
{
	char	*url;

	if (c->expect == HARBOR_EXPECT_COUNT) {
		xasprintf(&url, "%s%cpage=1&page_size=1", c->url,
		    strchr(c->url, '?') != NULL ? '&' : '?');
		return (url);
	}
	if (c->expect != HARBOR_EXPECT_LIST && c->expect != HARBOR_EXPECT_FIND)
		return (xstrdup(c->url));
	if (c->pages[i]->url != NULL) {
		/* From a Link header: a path on Harbor's origin. */
		if (c->pages[i]->url[0] == '/')
			xasprintf(&url, "%s%s", c->h->origin, c->pages[i]->url);
		else
			url = xstrdup(c->pages[i]->url);
		return (url);
	}
	xasprintf(&url, "%s%cpage=%zu&page_size=%d", c->url,
	    strchr(c->url, '?') != NULL ? '&' : '?', i + 1, HARBOR_PAGE_SIZE);
	return (url);
}

static void	harbor_http_done(const struct berr *, struct http_resp *,
		    void *);

/* Send page i (or the single request) with optional body. */
static void
harbor_send(struct harbor_call *c, size_t i, const char *body,
    size_t body_len)
{
	struct http_reqspec	 spec;
	const char		*hdrs[3];
	char			*url;
	size_t			 nh = 0;

	url = harbor_page_url(c, i);
	hdrs[nh++] = c->expect == HARBOR_EXPECT_TEXT ?
	    "Accept: text/plain, */*" : "Accept: application/json";
	if (c->resource_name)
		hdrs[nh++] = "X-Is-Resource-Name: true";
	hdrs[nh] = NULL;

	memset(&spec, 0, sizeof spec);
	spec.method = c->method;
	spec.url = url;
	spec.body = body;
	spec.body_len = body_len;
	spec.content_type = body != NULL ? "application/json" : NULL;
	spec.headers = hdrs;
	spec.retry = -1;
	spec.timeout_ms = c->timeout_ms;
	if (c->h->user != NULL) {
		spec.auth = HTTP_AUTH_BASIC;
		spec.user = c->h->user;
		spec.password = c->h->password;
	}
	c->pending++;
	c->pages[i]->req = http_send(c->h->http, &spec, c->owner,
	    harbor_http_done, c->pages[i]);
	free(url);
}

static void
harbor_page_send(struct harbor_call *c, size_t i)
{
	harbor_send(c, i, NULL, 0);
}

/* Start a call: method, url (owned by the call now), optional body. */
static void
harbor_start(struct harbor_call *c, const char *method, char *url,
    const char *body, size_t body_len)
{
	c->method = xstrdup(method);
	c->url = url;
	harbor_page_add(c, NULL);
	c->next = 1;
	harbor_send(c, 0, body, body_len);
}

/* Send more pages while under the parallel limit. */
static void
harbor_pages_fill(struct harbor_call *c)
{
	while (c->next < c->npages && c->pending < HARBOR_PAGE_PARALLEL)
		harbor_page_send(c, c->next++);
}

/* After page 1: how many pages to expect, from X-Total-Count or Link. */
static int
harbor_pages_plan(struct harbor_call *c, struct http_resp *resp,
    size_t got, struct berr *err)
{
	const char	*total, *errstr;
	long long	 n;
	size_t		 want, np, i;

	if ((total = http_resp_header(resp, "X-Total-Count")) != NULL) {
		n = strtonum(total, 0, (long long)HARBOR_MAX_PAGES *
		    HARBOR_PAGE_SIZE, &errstr);
		if (errstr != NULL)
			return (berr_set(err, BERR_HTTP, resp->status,
			    "harbor: X-Total-Count %s", errstr));
		want = (size_t)n;
		if (c->limit > 0 && want > c->limit)
			want = c->limit;
		np = (want + HARBOR_PAGE_SIZE - 1) / HARBOR_PAGE_SIZE;
		if (got == 0)
			np = 1;		/* nothing on page 1: stop */
		for (i = 1; i < np; i++)
			harbor_page_add(c, NULL);
		return (0);
	}
	c->linkmode = 1;
	return (harbor_pages_link(c, resp, got, err));
}

/* Link mode: queue the page after this one if there is one. */
static int
harbor_pages_link(struct harbor_call *c, struct http_resp *resp,
    size_t have, struct berr *err)
{
	char	*next;
	size_t	 olen;

	if (c->limit > 0 && have >= c->limit)
		return (0);
	next = harbor_link_next(http_resp_header(resp, "Link"));
	if (next == NULL)
		return (0);
	if (c->npages >= HARBOR_MAX_PAGES) {
		free(next);
		return (berr_set(err, BERR_HTTP, resp->status,
		    "harbor: more than %d pages", HARBOR_MAX_PAGES));
	}
	olen = strlen(c->h->origin);
	if (next[0] != '/' && (strncmp(next, c->h->origin, olen) != 0 ||
	    (next[olen] != '/' && next[olen] != '\0'))) {
		free(next);
		return (berr_set(err, BERR_HTTP, resp->status,
		    "harbor: Link to another host refused"));
	}
	harbor_page_add(c, next);
	return (0);
}

/* All pages in: join, cut to the limit, deliver (or find the name). */
static void
harbor_pages_done(struct harbor_call *c)
{
	struct berr	 err;
	void		**lists, *all, *one;
	size_t		 i;

	lists = xreallocarray(NULL, c->npages, sizeof *lists);
	for (i = 0; i < c->npages; i++) {
		lists[i] = c->pages[i]->list;
		c->pages[i]->list = NULL;
	}
	all = c->ops->join(lists, c->npages);
	free(lists);
	if (c->limit > 0 && c->ops->count(all) > c->limit)
		c->ops->truncate(all, c->limit);
	if (c->expect != HARBOR_EXPECT_FIND) {
		harbor_finish(c, NULL, all);
		return;
	}
	one = c->ops->find(all, c->find_name);
	c->ops->free(all);
	if (one == NULL) {
		berr_set(&err, BERR_HTTP, 404, "%s \"%s\" not found",
		    c->ops->what, c->find_name);
		harbor_fail(c, &err);
		return;
	}
	harbor_finish(c, NULL, one);
}

static void
harbor_list_page(struct harbor_call *c, struct harbor_page *pg,
    struct http_resp *resp)
{
	struct berr	 err;
	size_t		 got, have, i;

	if (c->ops->map(resp->body, resp->len, &pg->list, &err) == -1) {
		harbor_fail(c, &err);
		return;
	}
	pg->done = 1;
	got = c->ops->count(pg->list);
	if (got > HARBOR_PAGE_SIZE) {
		/* Harbor never sends more than asked: bound the memory. */
		berr_set(&err, BERR_HTTP, resp->status, "harbor: a page of %zu "
		    "items (asked for at most %d)", got, HARBOR_PAGE_SIZE);
		harbor_fail(c, &err);
		return;
	}
	if (pg == c->pages[0] && !c->linkmode &&
	    harbor_pages_plan(c, resp, got, &err) == -1) {
		harbor_fail(c, &err);
		return;
	}
	if (c->linkmode && pg == c->pages[c->npages - 1]) {
		for (have = 0, i = 0; i < c->npages; i++)
			have += c->ops->count(c->pages[i]->list);
		if (harbor_pages_link(c, resp, have, &err) == -1) {
			harbor_fail(c, &err);
			return;
		}
	}
	harbor_pages_fill(c);
	if (c->pending == 0 && c->next >= c->npages)
		harbor_pages_done(c);
}

/*
 * A count's answer: the total from X-Total-Count (the one item on the
 * page is not even mapped). A server without the header gets the whole
 * list fetched (Link pages) and counted: slower, but still right.
 */
static void
harbor_count_got(struct harbor_call *c, struct http_resp *resp)
{
	struct berr	 err;
	const char	*total, *errstr;
	long long	 n;

	if ((total = http_resp_header(resp, "X-Total-Count")) == NULL) {
		c->expect = HARBOR_EXPECT_LIST;
		c->next = 1;
		harbor_page_send(c, 0);
		return;
	}
	n = strtonum(total, 0, INT64_MAX, &errstr);
	if (errstr != NULL) {
		berr_set(&err, BERR_HTTP, resp->status,
		    "harbor: X-Total-Count %s", errstr);
		harbor_fail(c, &err);
		return;
	}
	c->id = n;
	harbor_finish(c, NULL, NULL);
}

static void
harbor_single(struct harbor_call *c, struct http_resp *resp)
{
	struct berr	 err;
	void		*result = NULL;

	switch (c->expect) {
	case HARBOR_EXPECT_NONE:
		break;
	case HARBOR_EXPECT_ID:
		c->id = harbor_location_id(http_resp_header(resp, "Location"));
		if (c->id < 0)
			c->id = 0;
		break;
	case HARBOR_EXPECT_EXISTS:
		c->flag = resp->status != 404;
		break;
	case HARBOR_EXPECT_TEXT:
		result = resp->body;		/* stolen */
		c->textlen = resp->len;
		resp->body = NULL;
		break;
	case HARBOR_EXPECT_OBJECT:
		if (c->ops->map(resp->body, resp->len, &result, &err) == -1) {
			harbor_fail(c, &err);
			return;
		}
		break;
	case HARBOR_EXPECT_COUNT:
		harbor_count_got(c, resp);
		return;
	default:
		abort();
	}
	harbor_finish(c, NULL, result);
}

static void
harbor_http_done(const struct berr *terr, struct http_resp *resp, void *arg)
{
	struct harbor_page	*pg = arg;
	struct harbor_call	*c = pg->call;
	struct berr		 err;
	int			 ok;

	pg->req = NULL;
	c->pending--;
	if (terr != NULL) {
		err = *terr;
		berr_prefix(&err, "harbor");
		harbor_fail(c, &err);
		return;
	}
	ok = resp->status >= 200 && resp->status < 300;
	if (c->expect == HARBOR_EXPECT_EXISTS && resp->status == 404)
		ok = 1;
	if (!ok) {
		harbor_error(resp->status, resp->body, resp->len, &err);
		harbor_fail(c, &err);
		return;
	}
	if (c->expect == HARBOR_EXPECT_LIST || c->expect == HARBOR_EXPECT_FIND)
		harbor_list_page(c, pg, resp);
	else
		harbor_single(c, resp);
}

/* --- result types --------------------------------------------------- */

static void
harbor_free_plain(void *p)
{
	free(p);
}

static void
harbor_deliver_done(struct harbor_call *c, const struct berr *err,
    void *res)
{
	((harbor_done_cb)c->cb)(err, c->arg);
}

static void
harbor_deliver_id(struct harbor_call *c, const struct berr *err, void *res)
{
	((harbor_id_cb)c->cb)(err, err == NULL ? c->id : 0, c->arg);
}

static void
harbor_deliver_bool(struct harbor_call *c, const struct berr *err,
    void *res)
{
	((harbor_bool_cb)c->cb)(err, err == NULL ? c->flag : 0, c->arg);
}

static void
harbor_deliver_text(struct harbor_call *c, const struct berr *err,
    void *res)
{
	((harbor_text_cb)c->cb)(err, res, err == NULL ? c->textlen : 0,
	    c->arg);
}

static const struct harbor_ops harbor_ops_done = {
	.what = "request", .free = harbor_free_plain,
	.deliver = harbor_deliver_done
};
static const struct harbor_ops harbor_ops_id = {
	.what = "request", .free = harbor_free_plain,
	.deliver = harbor_deliver_id
};
static const struct harbor_ops harbor_ops_bool = {
	.what = "request", .free = harbor_free_plain,
	.deliver = harbor_deliver_bool
};
static const struct harbor_ops harbor_ops_text = {
	.what = "log", .free = harbor_free_plain,
	.deliver = harbor_deliver_text
};

/* One object type: map wrapper, free wrapper, deliver. */
#define HARBOR_OBJECT(name, type, mapfn, freefn, cbtype, whatstr)	\
static int								\
harbor_vmap_##name(const char *b, size_t l, void **out, struct berr *e)	\
{									\
	type	*r;							\
	int	 rv;							\
									\
	rv = mapfn(b, l, &r, e);					\
	*out = r;							\
	return (rv);							\
}									\
static void								\
harbor_free_##name(void *p)						\
{									\
	freefn(p);							\
}									\
static void								\
harbor_deliver_##name(struct harbor_call *c, const struct berr *err,	\
    void *res)								\
{									\
	((cbtype)c->cb)(err, res, c->arg);				\
}									\
static const struct harbor_ops harbor_ops_##name = {			\
	.what = whatstr, .map = harbor_vmap_##name,			\
	.free = harbor_free_##name, .deliver = harbor_deliver_##name	\
}

HARBOR_OBJECT(systeminfo, struct systeminfo, harbor_map_systeminfo,
    systeminfo_free, harbor_systeminfo_cb, "systeminfo");
HARBOR_OBJECT(health, struct health, harbor_map_health, health_free,
    harbor_health_cb, "health");
HARBOR_OBJECT(user, struct user, harbor_map_user, user_free,
    harbor_user_cb, "user");
HARBOR_OBJECT(registry, struct registry, harbor_map_registry, registry_free,
    harbor_registry_cb, "registry");
HARBOR_OBJECT(registry_info, struct registry_info, harbor_map_registry_info,
    registry_info_free, harbor_registry_info_cb, "registry info");
HARBOR_OBJECT(strlist, struct strlist, harbor_map_strlist, strlist_free,
    harbor_strlist_cb, "list");
HARBOR_OBJECT(adapter_infos, struct adapter_info_list,
    harbor_map_adapter_infos, adapter_info_list_free,
    harbor_adapter_infos_cb, "adapter infos");
HARBOR_OBJECT(project, struct project, harbor_map_project, project_free,
    harbor_project_cb, "project");
HARBOR_OBJECT(project_summary, struct project_summary,
    harbor_map_project_summary, project_summary_free,
    harbor_project_summary_cb, "project summary");
HARBOR_OBJECT(policy, struct policy, harbor_map_policy, policy_free,
    harbor_policy_cb, "policy");
HARBOR_OBJECT(execution, struct execution, harbor_map_execution,
    execution_free, harbor_execution_cb, "execution");

/* A list type: map/free/deliver plus join, count, truncate. */
#define HARBOR_LIST(name, ltype, mapfn, freefn, clearfn, cbtype, whatstr) \
static int								\
harbor_vmap_##name(const char *b, size_t l, void **out, struct berr *e)	\
{									\
	ltype	*r;							\
	int	 rv;							\
									\
	rv = mapfn(b, l, &r, e);					\
	*out = r;							\
	return (rv);							\
}									\
static void								\
harbor_free_##name(void *p)						\
{									\
	freefn(p);							\
}									\
static void								\
harbor_deliver_##name(struct harbor_call *c, const struct berr *err,	\
    void *res)								\
{									\
	((cbtype)c->cb)(err, res, c->arg);				\
}									\
static void *								\
harbor_join_##name(void **pages, size_t np)				\
{									\
	ltype	*all, *p;						\
	size_t	 i, n = 0;						\
									\
	all = xcalloc(1, sizeof *all);					\
	for (i = 0; i < np; i++)					\
		n += ((ltype *)pages[i])->n;				\
	if (n > 0)							\
		all->items = xreallocarray(NULL, n, sizeof *all->items);\
	for (i = 0; i < np; i++) {					\
		p = pages[i];						\
		if (p->n > 0)						\
			memcpy(all->items + all->n, p->items,		\
			    p->n * sizeof *p->items);			\
		all->n += p->n;						\
		free(p->items);						\
		free(p);						\
	}								\
	return (all);							\
}									\
static size_t								\
harbor_count_##name(const void *p)					\
{									\
	return (((const ltype *)p)->n);					\
}									\
static void								\
harbor_truncate_##name(void *p, size_t n)				\
{									\
	ltype	*l = p;							\
									\
	while (l->n > n)						\
		clearfn(&l->items[--l->n]);				\
}

HARBOR_LIST(registries, struct registry_list, harbor_map_registries,
    registry_list_free, registry_clear, harbor_registries_cb, "registry")
HARBOR_LIST(projects, struct project_list, harbor_map_projects,
    project_list_free, project_clear, harbor_projects_cb, "project")
HARBOR_LIST(policies, struct policy_list, harbor_map_policies,
    policy_list_free, policy_clear, harbor_policies_cb, "policy")
HARBOR_LIST(executions, struct execution_list, harbor_map_executions,
    execution_list_free, execution_clear, harbor_executions_cb, "execution")
HARBOR_LIST(tasks, struct task_list, harbor_map_tasks, task_list_free,
    task_clear, harbor_tasks_cb, "task")

static void *
harbor_find_registry(const void *l, const char *name)
{
	return (registry_dup(registry_list_find_name(l, name)));
}

static void *
harbor_find_policy(const void *l, const char *name)
{
	return (policy_dup(policy_list_find_name(l, name)));
}

#define HARBOR_LIST_OPS(name, whatstr)					\
static const struct harbor_ops harbor_ops_##name = {			\
	.what = whatstr, .map = harbor_vmap_##name,			\
	.free = harbor_free_##name, .deliver = harbor_deliver_##name,	\
	.join = harbor_join_##name, .count = harbor_count_##name,	\
	.truncate = harbor_truncate_##name				\
}
HARBOR_LIST_OPS(registries, "registry");
HARBOR_LIST_OPS(projects, "project");
HARBOR_LIST_OPS(policies, "policy");
HARBOR_LIST_OPS(executions, "execution");
HARBOR_LIST_OPS(tasks, "task");

/*
 * Counts: the total from X-Total-Count (c->id), or, when the call fell
 * back to fetching the list, its length (the list is freed here).
 */
static void
harbor_deliver_count(struct harbor_call *c, const struct berr *err,
    void *res)
{
	int64_t	n = c->id;

	if (res != NULL) {
		n = (int64_t)c->ops->count(res);
		c->ops->free(res);
	}
	((harbor_count_cb)c->cb)(err, err == NULL ? n : 0, c->arg);
}

#define HARBOR_COUNT_OPS(name, whatstr)					\
static const struct harbor_ops harbor_ops_count_##name = {		\
	.what = whatstr, .map = harbor_vmap_##name,			\
	.free = harbor_free_##name, .deliver = harbor_deliver_count,	\
	.join = harbor_join_##name, .count = harbor_count_##name,	\
	.truncate = harbor_truncate_##name				\
}
HARBOR_COUNT_OPS(registries, "registry");
HARBOR_COUNT_OPS(projects, "project");
HARBOR_COUNT_OPS(policies, "policy");

/* Find by name: list ops, but the result is one object. */
static void
harbor_deliver_found_registry(struct harbor_call *c, const struct berr *err,
    void *res)
{
	((harbor_registry_cb)c->cb)(err, res, c->arg);
}

static void
harbor_deliver_found_policy(struct harbor_call *c, const struct berr *err,
    void *res)
{
	((harbor_policy_cb)c->cb)(err, res, c->arg);
}

static void
harbor_free_any_list(void *p)
{
	/* Only reached for page lists and the joined list. */
	registry_list_free(p);
}

static void
harbor_free_any_policy_list(void *p)
{
	policy_list_free(p);
}

/*
 * For FIND calls, ops->free frees page lists (and the joined list) while
 * the delivered result is a single object; harbor_finish() only frees a
 * result on error, when it is NULL. So free = the list free.
 */
static const struct harbor_ops harbor_ops_find_registry = {
	.what = "registry", .map = harbor_vmap_registries,
	.free = harbor_free_any_list, .deliver = harbor_deliver_found_registry,
	.join = harbor_join_registries, .count = harbor_count_registries,
	.truncate = harbor_truncate_registries, .find = harbor_find_registry
};
static const struct harbor_ops harbor_ops_find_policy = {
	.what = "policy", .map = harbor_vmap_policies,
	.free = harbor_free_any_policy_list,
	.deliver = harbor_deliver_found_policy,
	.join = harbor_join_policies, .count = harbor_count_policies,
	.truncate = harbor_truncate_policies, .find = harbor_find_policy
};

/* --- URLs ------------------------------------------------------------- */

/* base + path (printf), caller frees. */
static char *
harbor_urlf(struct harbor *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *
harbor_urlf(struct harbor *h, const char *fmt, ...)
{
	va_list	 ap;
	char	*path, *url;

	va_start(ap, fmt);
	if (vasprintf(&path, fmt, ap) == -1)
		fatalx("vasprintf failed");
	va_end(ap);
	xasprintf(&url, "%s%s", h->base, path);
	free(path);
	return (url);
}

/* Append "&key=escaped(value)" (or "?...") to *url. */
static void
harbor_url_param(char **url, const char *key, const char *value)
{
	char	*v, *n;

	if (value == NULL || *value == '\0')
		return;
	v = http_escape(value);
	xasprintf(&n, "%s%c%s=%s", *url, strchr(*url, '?') != NULL ? '&' :
	    '?', key, v);
	free(v);
	free(*url);
	*url = n;
}

static char *
harbor_list_url(struct harbor *h, const char *path,
    const struct harbor_query *q)
{
	char	*url, num[32];

	url = harbor_urlf(h, "%s", path);
	if (q == NULL)
		return (url);
	harbor_url_param(&url, "q", q->q);
	harbor_url_param(&url, "sort", q->sort);
	if (q->policy_id > 0) {
		snprintf(num, sizeof num, "%" PRId64, q->policy_id);
		harbor_url_param(&url, "policy_id", num);
	}
	harbor_url_param(&url, "status", q->status);
	return (url);
}

static void
harbor_list_start(struct harbor *h, const char *path,
    const struct harbor_query *q, const struct harbor_ops *ops,
    struct req_owner *owner, void (*cb)(void), void *arg)
{
	struct harbor_call	*c;

	c = harbor_call_new(h, owner, HARBOR_EXPECT_LIST, ops, cb, arg);
	c->limit = q != NULL ? q->limit : 0;
	harbor_start(c, "GET", harbor_list_url(h, path, q), NULL, 0);
}

/* A count: q's filters apply; its sort and limit do not matter. */
static void
harbor_count_start(struct harbor *h, const char *path,
    const struct harbor_query *q, const struct harbor_ops *ops,
    struct req_owner *owner, harbor_count_cb cb, void *arg)
{
	struct harbor_call	*c;

	c = harbor_call_new(h, owner, HARBOR_EXPECT_COUNT, ops,
	    (void (*)(void))cb, arg);
	harbor_start(c, "GET", harbor_list_url(h, path, q), NULL, 0);
}

static void
harbor_find_start(struct harbor *h, const char *path, const char *name,
    const struct harbor_ops *ops, struct req_owner *owner, void (*cb)(void),
    void *arg)
{
	struct harbor_query	 q;
	struct harbor_call	*c;
	char			*qs;

	xasprintf(&qs, "name=%s", name);
	memset(&q, 0, sizeof q);
	q.q = qs;
	c = harbor_call_new(h, owner, HARBOR_EXPECT_FIND, ops, cb, arg);
	c->find_name = xstrdup(name);
	harbor_start(c, "GET", harbor_list_url(h, path, &q), NULL, 0);
	free(qs);
}

static void
harbor_get(struct harbor *h, char *url, enum harbor_expect expect,
    const struct harbor_ops *ops, struct req_owner *owner, void (*cb)(void),
    void *arg)
{
	struct harbor_call	*c;

	c = harbor_call_new(h, owner, expect, ops, cb, arg);
	harbor_start(c, "GET", url, NULL, 0);
}

/* A call with a method and an optional body; body is wiped here. */
static struct harbor_call *
harbor_do(struct harbor *h, const char *method, char *url, char *body,
    size_t len, enum harbor_expect expect, const struct harbor_ops *ops,
    struct req_owner *owner, void (*cb)(void), void *arg)
{
	struct harbor_call	*c;

	c = harbor_call_new(h, owner, expect, ops, cb, arg);
	harbor_start(c, method, url, body, len);
	if (body != NULL)
		freezero(body, len + 1);
	return (c);
}

#define CB(f)	((void (*)(void))(f))

/* --- the API ---------------------------------------------------------- */

void
registry_req_init(struct registry_req *rq)
{
	memset(rq, 0, sizeof *rq);
	rq->insecure = -1;
}

void
harbor_ping(struct harbor *h, struct req_owner *o, harbor_done_cb cb,
    void *arg)
{
	harbor_get(h, harbor_urlf(h, "/ping"), HARBOR_EXPECT_NONE,
	    &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_systeminfo(struct harbor *h, struct req_owner *o,
    harbor_systeminfo_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/systeminfo"), HARBOR_EXPECT_OBJECT,
	    &harbor_ops_systeminfo, o, CB(cb), arg);
}

void
harbor_health(struct harbor *h, struct req_owner *o, harbor_health_cb cb,
    void *arg)
{
	harbor_get(h, harbor_urlf(h, "/health"), HARBOR_EXPECT_OBJECT,
	    &harbor_ops_health, o, CB(cb), arg);
}

void
harbor_current_user(struct harbor *h, struct req_owner *o,
    harbor_user_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/users/current"), HARBOR_EXPECT_OBJECT,
	    &harbor_ops_user, o, CB(cb), arg);
}

void
harbor_registries_list(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_registries_cb cb, void *arg)
{
	harbor_list_start(h, "/registries", q, &harbor_ops_registries, o,
	    CB(cb), arg);
}

void
harbor_registry_get(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_registry_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/registries/%" PRId64, id),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_registry, o, CB(cb), arg);
}

void
harbor_registry_find(struct harbor *h, const char *name,
    struct req_owner *o, harbor_registry_cb cb, void *arg)
{
	harbor_find_start(h, "/registries", name, &harbor_ops_find_registry,
	    o, CB(cb), arg);
}

void
harbor_registry_create(struct harbor *h, const struct registry_req *rq,
    struct req_owner *o, harbor_id_cb cb, void *arg)
{
	char	*body;
	size_t	 len;

	body = harbor_map_registry_body('c', 0, rq, &len);
	harbor_do(h, "POST", harbor_urlf(h, "/registries"), body, len,
	    HARBOR_EXPECT_ID, &harbor_ops_id, o, CB(cb), arg);
}

void
harbor_registry_update(struct harbor *h, int64_t id,
    const struct registry_req *rq, struct req_owner *o, harbor_done_cb cb,
    void *arg)
{
	char	*body;
	size_t	 len;

	body = harbor_map_registry_body('u', id, rq, &len);
	harbor_do(h, "PUT", harbor_urlf(h, "/registries/%" PRId64, id), body,
	    len, HARBOR_EXPECT_NONE, &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_registry_delete(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_done_cb cb, void *arg)
{
	harbor_do(h, "DELETE", harbor_urlf(h, "/registries/%" PRId64, id),
	    NULL, 0, HARBOR_EXPECT_NONE, &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_registry_ping(struct harbor *h, int64_t id,
    const struct registry_req *rq, long timeout_ms, struct req_owner *o,
    harbor_done_cb cb, void *arg)
{
	struct harbor_call	*c;
	struct registry_req	 none;
	char			*body;
	size_t			 len;

	if (rq == NULL) {
		registry_req_init(&none);
		rq = &none;
	}
	body = harbor_map_registry_body('p', id, rq, &len);
	c = harbor_call_new(h, o, HARBOR_EXPECT_NONE, &harbor_ops_done,
	    CB(cb), arg);
	c->timeout_ms = timeout_ms > 0 ? timeout_ms : HARBOR_PING_TIMEOUT_MS;
	harbor_start(c, "POST", harbor_urlf(h, "/registries/ping"), body, len);
	freezero(body, len + 1);
}

void
harbor_registry_info(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_registry_info_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/registries/%" PRId64 "/info", id),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_registry_info, o, CB(cb), arg);
}

void
harbor_adapters(struct harbor *h, struct req_owner *o, harbor_strlist_cb cb,
    void *arg)
{
	harbor_get(h, harbor_urlf(h, "/replication/adapters"),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_strlist, o, CB(cb), arg);
}

void
harbor_adapter_infos(struct harbor *h, struct req_owner *o,
    harbor_adapter_infos_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/replication/adapterinfos"),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_adapter_infos, o, CB(cb), arg);
}

void
harbor_projects_list(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_projects_cb cb, void *arg)
{
	harbor_list_start(h, "/projects", q, &harbor_ops_projects, o, CB(cb),
	    arg);
}

/* /projects/NAME...: X-Is-Resource-Name so a numeric name is a name. */
static struct harbor_call *
harbor_project_call(struct harbor *h, const char *method, const char *name,
    const char *suffix, enum harbor_expect expect,
    const struct harbor_ops *ops, struct req_owner *o, void (*cb)(void),
    void *arg)
{
	struct harbor_call	*c;
	char			*n;

	n = http_escape(name);
	c = harbor_call_new(h, o, expect, ops, cb, arg);
	c->resource_name = 1;
	harbor_start(c, method, harbor_urlf(h, "/projects/%s%s", n, suffix),
	    NULL, 0);
	free(n);
	return (c);
}

void
harbor_project_get(struct harbor *h, const char *name, struct req_owner *o,
    harbor_project_cb cb, void *arg)
{
	harbor_project_call(h, "GET", name, "", HARBOR_EXPECT_OBJECT,
	    &harbor_ops_project, o, CB(cb), arg);
}

void
harbor_project_exists(struct harbor *h, const char *name,
    struct req_owner *o, harbor_bool_cb cb, void *arg)
{
	struct harbor_call	*c;
	char			*url;

	url = harbor_urlf(h, "/projects");
	harbor_url_param(&url, "project_name", name);
	c = harbor_call_new(h, o, HARBOR_EXPECT_EXISTS, &harbor_ops_bool,
	    CB(cb), arg);
	harbor_start(c, "HEAD", url, NULL, 0);
}

void
harbor_project_create(struct harbor *h, const struct project_req *pr,
    struct req_owner *o, harbor_id_cb cb, void *arg)
{
	char	*body;
	size_t	 len;

	body = harbor_map_project_body(pr, &len);
	harbor_do(h, "POST", harbor_urlf(h, "/projects"), body, len,
	    HARBOR_EXPECT_ID, &harbor_ops_id, o, CB(cb), arg);
}

void
harbor_project_delete(struct harbor *h, const char *name,
    struct req_owner *o, harbor_done_cb cb, void *arg)
{
	harbor_project_call(h, "DELETE", name, "", HARBOR_EXPECT_NONE,
	    &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_project_summary(struct harbor *h, const char *name,
    struct req_owner *o, harbor_project_summary_cb cb, void *arg)
{
	harbor_project_call(h, "GET", name, "/summary", HARBOR_EXPECT_OBJECT,
	    &harbor_ops_project_summary, o, CB(cb), arg);
}

void
harbor_policies_list(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_policies_cb cb, void *arg)
{
	harbor_list_start(h, "/replication/policies", q, &harbor_ops_policies,
	    o, CB(cb), arg);
}

void
harbor_policy_get(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_policy_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/replication/policies/%" PRId64, id),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_policy, o, CB(cb), arg);
}

void
harbor_policy_find(struct harbor *h, const char *name, struct req_owner *o,
    harbor_policy_cb cb, void *arg)
{
	harbor_find_start(h, "/replication/policies", name,
	    &harbor_ops_find_policy, o, CB(cb), arg);
}

void
harbor_policy_create(struct harbor *h, const struct policy *p,
    struct req_owner *o, harbor_id_cb cb, void *arg)
{
	char	*body;
	size_t	 len;

	body = harbor_map_policy_body(p, &len);
	harbor_do(h, "POST", harbor_urlf(h, "/replication/policies"), body,
	    len, HARBOR_EXPECT_ID, &harbor_ops_id, o, CB(cb), arg);
}

void
harbor_policy_update(struct harbor *h, int64_t id, const struct policy *p,
    struct req_owner *o, harbor_done_cb cb, void *arg)
{
	char	*body;
	size_t	 len;

	body = harbor_map_policy_body(p, &len);
	harbor_do(h, "PUT", harbor_urlf(h, "/replication/policies/%" PRId64,
	    id), body, len, HARBOR_EXPECT_NONE, &harbor_ops_done, o, CB(cb),
	    arg);
}

void
harbor_policy_delete(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_done_cb cb, void *arg)
{
	harbor_do(h, "DELETE", harbor_urlf(h, "/replication/policies/%" PRId64,
	    id), NULL, 0, HARBOR_EXPECT_NONE, &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_executions_list(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_executions_cb cb, void *arg)
{
	harbor_list_start(h, "/replication/executions", q,
	    &harbor_ops_executions, o, CB(cb), arg);
}

void
harbor_execution_get(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_execution_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/replication/executions/%" PRId64, id),
	    HARBOR_EXPECT_OBJECT, &harbor_ops_execution, o, CB(cb), arg);
}

void
harbor_execution_start(struct harbor *h, int64_t policy_id,
    struct req_owner *o, harbor_id_cb cb, void *arg)
{
	char	*body;

	xasprintf(&body, "{\"policy_id\":%" PRId64 "}", policy_id);
	harbor_do(h, "POST", harbor_urlf(h, "/replication/executions"), body,
	    strlen(body), HARBOR_EXPECT_ID, &harbor_ops_id, o, CB(cb), arg);
}

void
harbor_execution_stop(struct harbor *h, int64_t id, struct req_owner *o,
    harbor_done_cb cb, void *arg)
{
	harbor_do(h, "PUT", harbor_urlf(h, "/replication/executions/%" PRId64,
	    id), NULL, 0, HARBOR_EXPECT_NONE, &harbor_ops_done, o, CB(cb), arg);
}

void
harbor_tasks_list(struct harbor *h, int64_t execution_id,
    const struct harbor_query *q, struct req_owner *o, harbor_tasks_cb cb,
    void *arg)
{
	char	*path;

	xasprintf(&path, "/replication/executions/%" PRId64 "/tasks",
	    execution_id);
	harbor_list_start(h, path, q, &harbor_ops_tasks, o, CB(cb), arg);
	free(path);
}

void
harbor_task_log(struct harbor *h, int64_t execution_id, int64_t task_id,
    struct req_owner *o, harbor_text_cb cb, void *arg)
{
	harbor_get(h, harbor_urlf(h, "/replication/executions/%" PRId64
	    "/tasks/%" PRId64 "/log", execution_id, task_id),
	    HARBOR_EXPECT_TEXT, &harbor_ops_text, o, CB(cb), arg);
}

/* --- counts ------------------------------------------------------------ */

void
harbor_registries_count(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_count_cb cb, void *arg)
{
	harbor_count_start(h, "/registries", q, &harbor_ops_count_registries,
	    o, cb, arg);
}

void
harbor_projects_count(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_count_cb cb, void *arg)
{
	harbor_count_start(h, "/projects", q, &harbor_ops_count_projects, o,
	    cb, arg);
}

void
harbor_policies_count(struct harbor *h, const struct harbor_query *q,
    struct req_owner *o, harbor_count_cb cb, void *arg)
{
	harbor_count_start(h, "/replication/policies", q,
	    &harbor_ops_count_policies, o, cb, arg);
}

/* --- synchronous twins ------------------------------------------------ */

struct harbor_sync {
	int		 done;
	struct berr	*err;
	void		*res;
	int64_t		 id;
	int		 flag;
	size_t		 len;
};

static void
harbor_sync_set(struct harbor_sync *s, const struct berr *err, void *res)
{
	s->done = 1;
	if (err != NULL) {
		if (s->err != NULL)
			*s->err = *err;
		s->res = NULL;
	} else
		s->res = res;
}

/* Run the loop until the call made with owner o is done. */
static int
harbor_sync_wait(struct harbor *h, struct req_owner *o,
    struct harbor_sync *s)
{
	if (http_wait(h->loop, o) == -1 || !s->done) {
		harbor_cancel(h, o);
		if (!s->done)
			return (berr_set(s->err, BERR_CANCELLED, 0,
			    "interrupted"));
	}
	return (s->err != NULL && s->err->kind != BERR_NONE ? -1 : 0);
}

static void
harbor_sync_done(const struct berr *err, void *arg)
{
	harbor_sync_set(arg, err, NULL);
}

static void
harbor_sync_id(const struct berr *err, int64_t id, void *arg)
{
	struct harbor_sync	*s = arg;

	harbor_sync_set(s, err, NULL);
	s->id = id;
}

static void
harbor_sync_bool(const struct berr *err, int flag, void *arg)
{
	struct harbor_sync	*s = arg;

	harbor_sync_set(s, err, NULL);
	s->flag = flag;
}

static void
harbor_sync_text(const struct berr *err, char *text, size_t len, void *arg)
{
	struct harbor_sync	*s = arg;

	harbor_sync_set(s, err, text);
	s->len = len;
}

#define HARBOR_SYNC_CB(name, type)					\
static void								\
harbor_sync_##name(const struct berr *err, type *res, void *arg)	\
{									\
	harbor_sync_set(arg, err, res);					\
}
HARBOR_SYNC_CB(systeminfo, struct systeminfo)
HARBOR_SYNC_CB(health, struct health)
HARBOR_SYNC_CB(user, struct user)
HARBOR_SYNC_CB(registry, struct registry)
HARBOR_SYNC_CB(registries, struct registry_list)
HARBOR_SYNC_CB(registry_info, struct registry_info)
HARBOR_SYNC_CB(strlist, struct strlist)
HARBOR_SYNC_CB(adapter_infos, struct adapter_info_list)
HARBOR_SYNC_CB(project, struct project)
HARBOR_SYNC_CB(projects, struct project_list)
HARBOR_SYNC_CB(project_summary, struct project_summary)
HARBOR_SYNC_CB(policy, struct policy)
HARBOR_SYNC_CB(policies, struct policy_list)
HARBOR_SYNC_CB(execution, struct execution)
HARBOR_SYNC_CB(executions, struct execution_list)
HARBOR_SYNC_CB(tasks, struct task_list)

/*
 * SYNC(call...): declare an owner and a harbor_sync, run the async call
 * with the sync callback, wait. Leaves rv and s for the caller.
 */
#define SYNC_BEGIN							\
	struct req_owner	 o;					\
	struct harbor_sync	 s;					\
	struct berr		 scratch;				\
	int			 rv;					\
									\
	memset(&s, 0, sizeof s);					\
	berr_clear(&scratch);						\
	if (err == NULL)						\
		err = &scratch;						\
	berr_clear(err);						\
	s.err = err;							\
	req_owner_init(&o)
#define SYNC_WAIT	rv = harbor_sync_wait(h, &o, &s)

#define SYNC_OBJ(type)							\
	SYNC_WAIT;							\
	*out = rv == 0 ? (type *)s.res : NULL;				\
	return (rv)

int
harbor_ping_sync(struct harbor *h, struct berr *err)
{
	SYNC_BEGIN;
	harbor_ping(h, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_systeminfo_sync(struct harbor *h, struct systeminfo **out,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_systeminfo(h, &o, harbor_sync_systeminfo, &s);
	SYNC_OBJ(struct systeminfo);
}

int
harbor_health_sync(struct harbor *h, struct health **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_health(h, &o, harbor_sync_health, &s);
	SYNC_OBJ(struct health);
}

int
harbor_current_user_sync(struct harbor *h, struct user **out,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_current_user(h, &o, harbor_sync_user, &s);
	SYNC_OBJ(struct user);
}

int
harbor_registries_list_sync(struct harbor *h, const struct harbor_query *q,
    struct registry_list **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registries_list(h, q, &o, harbor_sync_registries, &s);
	SYNC_OBJ(struct registry_list);
}

int
harbor_registry_get_sync(struct harbor *h, int64_t id,
    struct registry **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_get(h, id, &o, harbor_sync_registry, &s);
	SYNC_OBJ(struct registry);
}

int
harbor_registry_find_sync(struct harbor *h, const char *name,
    struct registry **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_find(h, name, &o, harbor_sync_registry, &s);
	SYNC_OBJ(struct registry);
}

int
harbor_registry_create_sync(struct harbor *h, const struct registry_req *rq,
    int64_t *id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_create(h, rq, &o, harbor_sync_id, &s);
	SYNC_WAIT;
	if (id != NULL)
		*id = rv == 0 ? s.id : 0;
	return (rv);
}

int
harbor_registry_update_sync(struct harbor *h, int64_t id,
    const struct registry_req *rq, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_update(h, id, rq, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_registry_delete_sync(struct harbor *h, int64_t id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_delete(h, id, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_registry_ping_sync(struct harbor *h, int64_t id,
    const struct registry_req *rq, long timeout_ms, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_ping(h, id, rq, timeout_ms, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_registry_info_sync(struct harbor *h, int64_t id,
    struct registry_info **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_registry_info(h, id, &o, harbor_sync_registry_info, &s);
	SYNC_OBJ(struct registry_info);
}

int
harbor_adapters_sync(struct harbor *h, struct strlist **out,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_adapters(h, &o, harbor_sync_strlist, &s);
	SYNC_OBJ(struct strlist);
}

int
harbor_adapter_infos_sync(struct harbor *h, struct adapter_info_list **out,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_adapter_infos(h, &o, harbor_sync_adapter_infos, &s);
	SYNC_OBJ(struct adapter_info_list);
}

int
harbor_projects_list_sync(struct harbor *h, const struct harbor_query *q,
    struct project_list **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_projects_list(h, q, &o, harbor_sync_projects, &s);
	SYNC_OBJ(struct project_list);
}

int
harbor_project_get_sync(struct harbor *h, const char *name,
    struct project **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_project_get(h, name, &o, harbor_sync_project, &s);
	SYNC_OBJ(struct project);
}

int
harbor_project_exists_sync(struct harbor *h, const char *name, int *exists,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_project_exists(h, name, &o, harbor_sync_bool, &s);
	SYNC_WAIT;
	*exists = rv == 0 ? s.flag : 0;
	return (rv);
}

int
harbor_project_create_sync(struct harbor *h, const struct project_req *pr,
    int64_t *id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_project_create(h, pr, &o, harbor_sync_id, &s);
	SYNC_WAIT;
	if (id != NULL)
		*id = rv == 0 ? s.id : 0;
	return (rv);
}

int
harbor_project_delete_sync(struct harbor *h, const char *name,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_project_delete(h, name, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_project_summary_sync(struct harbor *h, const char *name,
    struct project_summary **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_project_summary(h, name, &o, harbor_sync_project_summary, &s);
	SYNC_OBJ(struct project_summary);
}

int
harbor_policies_list_sync(struct harbor *h, const struct harbor_query *q,
    struct policy_list **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_policies_list(h, q, &o, harbor_sync_policies, &s);
	SYNC_OBJ(struct policy_list);
}

int
harbor_policy_get_sync(struct harbor *h, int64_t id, struct policy **out,
    struct berr *err)
{
	SYNC_BEGIN;
	harbor_policy_get(h, id, &o, harbor_sync_policy, &s);
	SYNC_OBJ(struct policy);
}

int
harbor_policy_find_sync(struct harbor *h, const char *name,
    struct policy **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_policy_find(h, name, &o, harbor_sync_policy, &s);
	SYNC_OBJ(struct policy);
}

int
harbor_policy_create_sync(struct harbor *h, const struct policy *p,
    int64_t *id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_policy_create(h, p, &o, harbor_sync_id, &s);
	SYNC_WAIT;
	if (id != NULL)
		*id = rv == 0 ? s.id : 0;
	return (rv);
}

int
harbor_policy_update_sync(struct harbor *h, int64_t id,
    const struct policy *p, struct berr *err)
{
	SYNC_BEGIN;
	harbor_policy_update(h, id, p, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_policy_delete_sync(struct harbor *h, int64_t id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_policy_delete(h, id, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_executions_list_sync(struct harbor *h, const struct harbor_query *q,
    struct execution_list **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_executions_list(h, q, &o, harbor_sync_executions, &s);
	SYNC_OBJ(struct execution_list);
}

int
harbor_execution_get_sync(struct harbor *h, int64_t id,
    struct execution **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_execution_get(h, id, &o, harbor_sync_execution, &s);
	SYNC_OBJ(struct execution);
}

int
harbor_execution_start_sync(struct harbor *h, int64_t policy_id,
    int64_t *id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_execution_start(h, policy_id, &o, harbor_sync_id, &s);
	SYNC_WAIT;
	if (id != NULL)
		*id = rv == 0 ? s.id : 0;
	return (rv);
}

int
harbor_execution_stop_sync(struct harbor *h, int64_t id, struct berr *err)
{
	SYNC_BEGIN;
	harbor_execution_stop(h, id, &o, harbor_sync_done, &s);
	SYNC_WAIT;
	return (rv);
}

int
harbor_tasks_list_sync(struct harbor *h, int64_t execution_id,
    const struct harbor_query *q, struct task_list **out, struct berr *err)
{
	SYNC_BEGIN;
	harbor_tasks_list(h, execution_id, q, &o, harbor_sync_tasks, &s);
	SYNC_OBJ(struct task_list);
}

int
harbor_task_log_sync(struct harbor *h, int64_t execution_id,
    int64_t task_id, char **out, size_t *len, struct berr *err)
{
	SYNC_BEGIN;
	harbor_task_log(h, execution_id, task_id, &o, harbor_sync_text, &s);
	SYNC_WAIT;
	*out = rv == 0 ? s.res : NULL;
	if (len != NULL)
		*len = rv == 0 ? s.len : 0;
	return (rv);
}

#define SYNC_COUNT(fn)							\
	SYNC_BEGIN;							\
	fn(h, q, &o, harbor_sync_id, &s);				\
	SYNC_WAIT;							\
	*out = rv == 0 ? s.id : 0;					\
	return (rv)

int
harbor_registries_count_sync(struct harbor *h, const struct harbor_query *q,
    int64_t *out, struct berr *err)
{
	SYNC_COUNT(harbor_registries_count);
}

int
harbor_projects_count_sync(struct harbor *h, const struct harbor_query *q,
    int64_t *out, struct berr *err)
{
	SYNC_COUNT(harbor_projects_count);
}

int
harbor_policies_count_sync(struct harbor *h, const struct harbor_query *q,
    int64_t *out, struct berr *err)
{
	SYNC_COUNT(harbor_policies_count);
}
