/*
 * http.c: the request lifecycle on the loop's curl multi handle. One easy
 * handle per request, reused for its retries; connections are reused
 * through the multi's pool. Limits (timeouts, low speed, body and header
 * size), auth, retries with jittered backoff, error mapping to struct
 * berr, and a redacting curl debug callback when the debug log is on.
 * No CURL * leaves this file.
 */
#include "config.h"

#include <sys/queue.h>

#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "berth/berr.h"
#include "berth/http.h"
#include "berth/log.h"
#include "berth/loop.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"
#include "loop-private.h"

#define HTTP_MAXHDRBYTES	(256 * 1024)	/* all headers of a response */
#define HTTP_MAXHDRS		256
#define HTTP_LOGBODY		512		/* request body bytes logged */

struct http {
	struct loop		*lp;		/* NULL once the loop is gone */
	struct http_opts	 opts;		/* defaults resolved */
	char			*ca_file;	/* opts.ca_file points here */
	TAILQ_HEAD(, http_req)	 reqs;
	struct loop_client	 lc;
};

enum http_req_state {
	HTTP_REQ_RUNNING,	/* easy handle on the multi */
	HTTP_REQ_WAITING,	/* between attempts, retry timer armed */
	HTTP_REQ_CALLING	/* callback running: cancel is a no-op */
};

struct http_req {
	struct loop_xfer	 xfer;		/* loop calls back through it */
	struct http		*h;
	struct req_owner	*owner;		/* NULL ok */
	TAILQ_ENTRY(http_req)	 oentry;	/* in owner->reqs */
	TAILQ_ENTRY(http_req)	 hentry;	/* in h->reqs */
	enum http_req_state	 state;
	CURL			*easy;
	struct curl_slist	*hdrs;		/* wiped when freed */
	char			*method;
	char			*url;
	char			*host;		/* for messages */
	char			*body;
	size_t			 body_len;
	int			 retry;		/* 0 or 1, resolved */
	size_t			 max_body;
	int			 redact;	/* carries credentials */
	unsigned int		 attempts;
	struct loop_timer	*timer;		/* retry wait */

	char			*buf;		/* response body */
	size_t			 len;
	size_t			 cap;
	struct http_header	*rh;		/* response headers */
	size_t			 nrh;
	size_t			 caprh;
	size_t			 hdrbytes;
	int			 toobig;	/* 1 body, 2 headers */
	char			 errbuf[CURL_ERROR_SIZE];

	http_cb			 cb;
	void			*arg;
};

static void	http_req_done(struct loop_xfer *, CURLcode);

/* Replace control bytes in place (curl's texts end up in berr messages). */
static void
http_clean(char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

static void
http_loop_gone(void *arg)
{
	struct http	*h = arg;
	struct http_req	*req;

	while ((req = TAILQ_FIRST(&h->reqs)) != NULL)
		http_cancel(req);
	h->lp = NULL;
}

/* A client: options copied, defaults filled in. */
struct http *
http_new(struct loop *lp, const struct http_opts *o)
{
	struct http		*h;
	struct http_opts	*p;

	h = xcalloc(1, sizeof *h);
	h->lp = lp;
	p = &h->opts;
	if (o != NULL)
		*p = *o;
	if (p->ca_file != NULL && *p->ca_file != '\0') {
		h->ca_file = xstrdup(p->ca_file);
		p->ca_file = h->ca_file;
	} else
		p->ca_file = NULL;
	if (p->connect_timeout_ms <= 0)
		p->connect_timeout_ms = 10000;
	if (p->timeout_ms <= 0)
		p->timeout_ms = 120000;
	if (p->low_speed_time_s <= 0)
		p->low_speed_time_s = 30;
	if (p->max_body == 0)
		p->max_body = 64 * 1024 * 1024;
	if (p->max_retries < 0)
		p->max_retries = 3;
	if (p->retry_base_ms <= 0)
		p->retry_base_ms = 200;
	if (p->retry_max_ms <= 0)
		p->retry_max_ms = 10000;
	TAILQ_INIT(&h->reqs);
	h->lc.gone = http_loop_gone;
	h->lc.arg = h;
	loop_client_add(lp, &h->lc);
	return (h);
}

void
http_free(struct http *h)
{
	struct http_req	*req;

	if (h == NULL)
		return;
	while ((req = TAILQ_FIRST(&h->reqs)) != NULL)
		http_cancel(req);
	if (h->lp != NULL)
		loop_client_del(h->lp, &h->lc);
	free(h->ca_file);
	free(h);
}

const struct http_opts *
http_opts(const struct http *h)
{
	return (&h->opts);
}

/* Drop the response of a previous attempt. */
static void
http_req_reset(struct http_req *req)
{
	size_t	i;

	for (i = 0; i < req->nrh; i++) {
		free(req->rh[i].name);
		free(req->rh[i].value);
	}
	req->nrh = 0;
	req->hdrbytes = 0;
	req->len = 0;
	req->toobig = 0;
	req->errbuf[0] = '\0';
}

static void
http_req_free(struct http_req *req)
{
	struct curl_slist	*sl;

	if (req->state == HTTP_REQ_RUNNING && req->h->lp != NULL)
		loop_xfer_remove(req->h->lp, req->easy);
	if (req->timer != NULL && req->h->lp != NULL)
		loop_timer_cancel(req->h->lp, req->timer);
	curl_easy_cleanup(req->easy);
	for (sl = req->hdrs; sl != NULL; sl = sl->next)
		explicit_bzero(sl->data, strlen(sl->data));
	curl_slist_free_all(req->hdrs);
	http_req_reset(req);
	free(req->rh);
	if (req->buf != NULL && req->redact)
		freezero(req->buf, req->cap);
	else
		free(req->buf);
	free(req->method);
	free(req->url);
	free(req->host);
	if (req->body != NULL)
		freezero(req->body, req->body_len + 1);
	free(req);
}

/* Take req off its owner's and its client's lists. */
static void
http_req_unlink(struct http_req *req)
{
	if (req->owner != NULL)
		TAILQ_REMOVE(&req->owner->reqs, req, oentry);
	req->owner = NULL;
	TAILQ_REMOVE(&req->h->reqs, req, hentry);
	if (req->h->lp != NULL)
		loop_busy(req->h->lp, -1);
}

static size_t
http_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_req	*req = arg;
	size_t		 len = size * n, want;
	char		*nbuf;

	if (len > req->max_body - req->len) {
		req->toobig = 1;
		return (0);
	}
	if (req->len + len + 1 > req->cap) {
		want = req->cap < 16384 ? 16384 : req->cap;
		while (want < req->len + len + 1)
			want *= 2;
		if (want > req->max_body + 1)
			want = req->max_body + 1;
		if (req->redact && req->buf != NULL) {
			/* no copy of a token answer left behind */
			nbuf = xmalloc(want);
			memcpy(nbuf, req->buf, req->len);
			freezero(req->buf, req->cap);
			req->buf = nbuf;
		} else
			req->buf = xreallocarray(req->buf, 1, want);
		req->cap = want;
	}
	memcpy(req->buf + req->len, data, len);
	req->len += len;
	req->buf[req->len] = '\0';
	return (len);
}

/*
 * One header line. A status line starts a new response (after 1xx or a
 * followed redirect), so only the last response's headers are kept.
 */
static size_t
http_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_req		*req = arg;
	size_t			 len = size * n, vlen;
	const char		*colon, *v;
	struct http_header	*hd;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		http_req_reset(req);
		req->hdrbytes = len;
		return (len);
	}
	req->hdrbytes += len;
	if (req->hdrbytes > HTTP_MAXHDRBYTES || req->nrh >= HTTP_MAXHDRS) {
		req->toobig = 2;
		return (0);
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if ((colon = memchr(data, ':', len)) == NULL || colon == data)
		return (size * n);
	v = colon + 1;
	vlen = len - (size_t)(v - data);
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (req->nrh == req->caprh) {
		req->caprh = req->caprh == 0 ? 16 : req->caprh * 2;
		req->rh = xreallocarray(req->rh, req->caprh, sizeof *req->rh);
	}
	hd = &req->rh[req->nrh++];
	hd->name = xstrndup(data, (size_t)(colon - data));
	hd->value = xstrndup(v, vlen);
	return (size * n);
}

/* Log one line of curl's debug output with credentials cut out. */
static void
http_log_line(const char *dir, const char *line, size_t len)
{
	static const char *const secret_hdrs[] = {
		"authorization:", "cookie:"	/* also Proxy-, Set- */
	};
	char		*s, *p;
	size_t		 i;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len == 0)
		return;
	s = xstrndup(line, len);
	for (i = 0; i < nitems(secret_hdrs); i++) {
		if ((p = strcasestr(s, secret_hdrs[i])) != NULL) {
			p += strlen(secret_hdrs[i]);
			*p = '\0';
			log_debug("%s %s [redacted]", dir, s);
			free(s);
			return;
		}
	}
	log_debug("%s %s", dir, s);
	free(s);
}

static void
http_log_lines(const char *dir, const char *data, size_t size)
{
	const char	*nl;

	while (size > 0) {
		if ((nl = memchr(data, '\n', size)) == NULL) {
			http_log_line(dir, data, size);
			return;
		}
		http_log_line(dir, data, (size_t)(nl - data));
		size -= (size_t)(nl - data) + 1;
		data = nl + 1;
	}
}

/* CURLOPT_DEBUGFUNCTION, set only while the debug log is on. */
static int
http_debug_cb(CURL *easy, curl_infotype type, char *data, size_t size,
    void *arg)
{
	struct http_req	*req = arg;

	switch (type) {
	case CURLINFO_TEXT:
		http_log_lines("*", data, size);
		break;
	case CURLINFO_HEADER_OUT:
		http_log_lines(">", data, size);
		break;
	case CURLINFO_HEADER_IN:
		http_log_lines("<", data, size);
		break;
	case CURLINFO_DATA_OUT:
		if (req->redact)
			log_debug("> [%zu bytes of body redacted]", size);
		else
			log_debug("> [%zu bytes] %.*s", size,
			    (int)(size > HTTP_LOGBODY ? HTTP_LOGBODY : size),
			    data);
		break;
	case CURLINFO_DATA_IN:
		log_debug("< [%zu bytes]", size);
		break;
	default:
		break;
	}
	return (0);
}

static int
http_method_idempotent(const char *m)
{
	return (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	    strcmp(m, "PUT") == 0 || strcmp(m, "DELETE") == 0 ||
	    strcmp(m, "OPTIONS") == 0);
}

/* "host:port" of a URL for messages (caller frees). */
static char *
http_url_host(const char *url)
{
	CURLU	*u;
	char	*host = NULL, *port = NULL, *out;

	if ((u = curl_url()) == NULL)
		fatalx("curl_url");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		out = xstrdup(url);
		http_clean(out);
		return (out);
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
		xasprintf(&out, "%s:%s", host, port);
	else
		out = xstrdup(host);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	http_clean(out);
	return (out);
}

/* Request headers: caller's, content type, auth; no Expect: 100. */
static void
http_req_headers(struct http_req *req, const struct http_reqspec *spec)
{
	const char *const	*hp;
	char			*s;

	for (hp = spec->headers; hp != NULL && *hp != NULL; hp++) {
		if (strncasecmp(*hp, "authorization:", 14) == 0)
			req->redact = 1;
		req->hdrs = curl_slist_append(req->hdrs, *hp);
	}
	if (spec->body != NULL) {
		xasprintf(&s, "Content-Type: %s", spec->content_type != NULL ?
		    spec->content_type : "application/json");
		req->hdrs = curl_slist_append(req->hdrs, s);
		free(s);
	}
	req->hdrs = curl_slist_append(req->hdrs, "Expect:");
	if (spec->auth == HTTP_AUTH_BEARER && spec->token != NULL) {
		xasprintf(&s, "Authorization: Bearer %s", spec->token->s);
		req->hdrs = curl_slist_append(req->hdrs, s);
		freezero(s, strlen(s) + 1);
		req->redact = 1;
	}
	if (req->hdrs == NULL)
		fatalx("curl_slist_append");
	curl_easy_setopt(req->easy, CURLOPT_HTTPHEADER, req->hdrs);
}

/* Method and body. The body is ours (freed with the request). */
static void
http_req_method(struct http_req *req, const struct http_reqspec *spec)
{
	CURL	*e = req->easy;

	if (spec->body != NULL) {
		req->body = xmalloc(spec->body_len + 1);
		memcpy(req->body, spec->body, spec->body_len);
		req->body[spec->body_len] = '\0';
		req->body_len = spec->body_len;
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->body_len);
	} else if (strcmp(req->method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	else if (strcmp(req->method, "GET") == 0 && spec->body != NULL)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "GET");
}

/* Transport options: limits, TLS, protocols, no cookies, callbacks. */
static void
http_req_transport(struct http_req *req, const struct http_reqspec *spec)
{
	const struct http_opts	*o = &req->h->opts;
	CURL			*e = req->easy;

	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	/*
	 * Wait for a connection being set up to the same host when it may
	 * multiplex (h2 via ALPN), instead of opening another. Over plain
	 * http curl would learn that only from the first response, which
	 * would serialise concurrent requests: https only.
	 */
	if (strncasecmp(req->url, "https:", 6) == 0)
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
	    spec->timeout_ms > 0 ? spec->timeout_ms : o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	if (strcmp(req->method, "HEAD") != 0)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)req->max_body);
	if (o->ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
	if (o->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (spec->certinfo)
		curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
	if (spec->follow) {
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	}
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, req);
	if (log_enabled()) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, http_debug_cb);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, req);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
}

/*
 * Start a request. Everything in spec is copied (the secrets into curl
 * and into a header that is wiped). The callback comes from the loop.
 */
struct http_req *
http_send(struct http *h, const struct http_reqspec *spec,
    struct req_owner *owner, http_cb cb, void *arg)
{
	struct http_req	*req;
	char		*p;

	assert(spec != NULL && spec->url != NULL && cb != NULL);
	if (h->lp == NULL)
		fatalx("http_send: the loop is gone");
	req = xcalloc(1, sizeof *req);
	req->xfer.done = http_req_done;
	req->h = h;
	req->cb = cb;
	req->arg = arg;
	req->method = xstrdup(spec->method != NULL ? spec->method : "GET");
	for (p = req->method; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	req->url = xstrdup(spec->url);
	req->host = http_url_host(spec->url);
	req->max_body = spec->max_body > 0 ? spec->max_body : h->opts.max_body;
	if (spec->retry < 0)
		req->retry = http_method_idempotent(req->method);
	else
		req->retry = spec->retry != 0;
	if ((req->easy = curl_easy_init()) == NULL)
		fatalx("curl_easy_init");
	if (spec->auth == HTTP_AUTH_BASIC) {
		curl_easy_setopt(req->easy, CURLOPT_HTTPAUTH,
		    (long)CURLAUTH_BASIC);
		curl_easy_setopt(req->easy, CURLOPT_USERNAME,
		    spec->user != NULL ? spec->user : "");
		curl_easy_setopt(req->easy, CURLOPT_PASSWORD,
		    spec->password != NULL ? spec->password->s : "");
		req->redact = 1;
	}
	http_req_headers(req, spec);
	http_req_method(req, spec);
	http_req_transport(req, spec);

	TAILQ_INSERT_TAIL(&h->reqs, req, hentry);
	if ((req->owner = owner) != NULL)
		TAILQ_INSERT_TAIL(&owner->reqs, req, oentry);
	loop_busy(h->lp, 1);
	req->attempts = 1;
	req->state = HTTP_REQ_RUNNING;
	log_debug("http: %s %s (%s)", req->method, req->url,
	    req->redact ? "with credentials" : "anonymous");
	loop_xfer_add(h->lp, req->easy, &req->xfer);
	return (req);
}

/* Never calls back. A no-op while the request's own callback runs. */
void
http_cancel(struct http_req *req)
{
	if (req == NULL || req->state == HTTP_REQ_CALLING)
		return;
	log_debug("http: %s %s cancelled", req->method, req->url);
	http_req_unlink(req);
	http_req_free(req);
}

void
req_owner_init(struct req_owner *owner)
{
	TAILQ_INIT(&owner->reqs);
}

void
req_owner_cancel(struct req_owner *owner)
{
	struct http_req	*req;

	while ((req = TAILQ_FIRST(&owner->reqs)) != NULL)
		http_cancel(req);
}

int
req_owner_busy(const struct req_owner *owner)
{
	return (!TAILQ_EMPTY(&owner->reqs));
}

int
http_wait(struct loop *lp, struct req_owner *owner)
{
	while (req_owner_busy(owner)) {
		if (loop_quitting(lp))
			return (-1);
		loop_once(lp, -1);
	}
	return (0);
}

static int
http_retryable(CURLcode rc, long status)
{
	switch (rc) {
	case CURLE_OK:
		return (status == 429 || status == 502 || status == 503 ||
		    status == 504);
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return (1);
	default:
		return (0);
	}
}

/*
 * A timeout once the connection was up means the server is slow or hung:
 * trying again would multiply the operator's wait (3 retries of a 120 s
 * transfer is 8 minutes), so only connect timeouts are retried.
 */
static int
http_timed_out_connected(struct http_req *req, CURLcode rc)
{
	curl_off_t	connect_us = 0;

	if (rc != CURLE_OPERATION_TIMEDOUT)
		return (0);
	curl_easy_getinfo(req->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
	return (connect_us > 0);
}

/*
 * Delay before the next attempt: base * 2^(n-1), capped, with jitter
 * (half fixed, half random); Retry-After, when given, replaces it, still
 * capped by retry_max_ms.
 */
static unsigned int
http_retry_delay(struct http_req *req)
{
	const struct http_opts	*o = &req->h->opts;
	const char		*ra;
	struct http_resp	 r;
	long			 d, ms;
	unsigned int		 i;

	d = o->retry_base_ms;
	for (i = 1; i < req->attempts && d < o->retry_max_ms; i++)
		d *= 2;
	if (d > o->retry_max_ms)
		d = o->retry_max_ms;
	d = d / 2 + (long)arc4random_uniform((uint32_t)(d / 2 + 1));
	memset(&r, 0, sizeof r);
	r.hdrs = req->rh;
	r.nhdrs = req->nrh;
	if ((ra = http_resp_header(&r, "Retry-After")) != NULL &&
	    (ms = http_retry_after_ms(ra)) >= 0)
		d = ms < o->retry_max_ms ? ms : o->retry_max_ms;
	return ((unsigned int)d);
}

static void
http_retry_fire(void *arg)
{
	struct http_req	*req = arg;

	req->timer = NULL;
	http_req_reset(req);
	req->attempts++;
	req->state = HTTP_REQ_RUNNING;
	log_debug("http: %s %s attempt %u", req->method, req->url,
	    req->attempts);
	loop_xfer_add(req->h->lp, req->easy, &req->xfer);
}

static int
http_ssl_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		return (1);
	default:
		return (0);
	}
}

/* A failed transfer as a berr: kind by curl code, curl's text, the host. */
static void
http_map_error(struct http_req *req, CURLcode rc, long status,
    struct berr *err)
{
	char	why[CURL_ERROR_SIZE];

	strlcpy(why, req->errbuf[0] != '\0' ? req->errbuf :
	    curl_easy_strerror(rc), sizeof why);
	http_clean(why);
	if (req->toobig == 2)
		berr_set(err, BERR_TOOBIG, status,
		    "%s: response headers over %d bytes", req->host,
		    HTTP_MAXHDRBYTES);
	else if (req->toobig || rc == CURLE_FILESIZE_EXCEEDED)
		berr_set(err, BERR_TOOBIG, status,
		    "%s: response larger than %zu bytes", req->host,
		    req->max_body);
	else if (rc == CURLE_PEER_FAILED_VERIFICATION)
		berr_set(err, BERR_TLS, 0,
		    "%s: certificate verification failed: %s", req->host, why);
	else if (rc == CURLE_SSL_CACERT_BADFILE)
		berr_set(err, BERR_TLS, 0, "CA file %s cannot be used: %s",
		    req->h->opts.ca_file != NULL ? req->h->opts.ca_file :
		    "(system)", why);
	else if (http_ssl_error(rc))
		berr_set(err, BERR_TLS, 0, "%s: TLS handshake failed: %s",
		    req->host, why);
	else if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
		berr_set(err, BERR_CONFIG, 0, "bad URL %s: %s", req->host, why);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		berr_set(err, BERR_NET, 0, "%s: timed out: %s", req->host, why);
	else
		berr_set(err, BERR_NET, 0, "%s: %s", req->host, why);
	if (req->attempts > 1 && err->kind != BERR_TOOBIG) {
		char	n[32];

		snprintf(n, sizeof n, " (%u attempts)", req->attempts);
		strlcat(err->msg, n, sizeof err->msg);
	}
}

static double
http_info_s(CURL *e, CURLINFO what)
{
	curl_off_t	us = 0;

	curl_easy_getinfo(e, what, &us);
	return ((double)us / 1e6);
}

/* The leaf certificate's fields from CURLINFO_CERTINFO (borrowed). */
static void
http_certinfo(CURL *e, struct http_resp *resp)
{
	struct curl_certinfo	*ci = NULL;
	struct curl_slist	*sl;

	if (curl_easy_getinfo(e, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    ci == NULL || ci->num_of_certs < 1)
		return;
	for (sl = ci->certinfo[0]; sl != NULL; sl = sl->next) {
		if (strncmp(sl->data, "Subject:", 8) == 0)
			resp->cert_subject = sl->data + 8;
		else if (strncmp(sl->data, "Issuer:", 7) == 0)
			resp->cert_issuer = sl->data + 7;
		else if (strncmp(sl->data, "Start date:", 11) == 0)
			resp->cert_start = sl->data + 11;
		else if (strncmp(sl->data, "Expire date:", 12) == 0)
			resp->cert_expire = sl->data + 12;
	}
}

/* Deliver the result and free the request. */
static void
http_req_finish(struct http_req *req, CURLcode rc, long status)
{
	struct http_resp	 resp;
	struct berr		 err, *errp = NULL;
	char			*s;
	size_t			 cap = 1;

	memset(&resp, 0, sizeof resp);
	resp.status = rc == CURLE_OK ? status : 0;
	if (rc == CURLE_OK) {
		resp.body = req->buf != NULL ? req->buf : xstrdup("");
		resp.len = req->len;
		if (req->buf != NULL)
			cap = req->cap;
		req->buf = NULL;
		req->len = req->cap = 0;
	}
	resp.hdrs = req->rh;
	resp.nhdrs = req->nrh;
	s = NULL;
	curl_easy_getinfo(req->easy, CURLINFO_EFFECTIVE_URL, &s);
	resp.url = s != NULL ? s : req->url;
	s = NULL;
	curl_easy_getinfo(req->easy, CURLINFO_PRIMARY_IP, &s);
	resp.ip = s != NULL ? s : "";
	resp.time_s = http_info_s(req->easy, CURLINFO_TOTAL_TIME_T);
	resp.connect_s = http_info_s(req->easy, CURLINFO_CONNECT_TIME_T);
	resp.tls_s = http_info_s(req->easy, CURLINFO_APPCONNECT_TIME_T);
	resp.ttfb_s = http_info_s(req->easy, CURLINFO_STARTTRANSFER_TIME_T);
	resp.attempts = req->attempts;
	curl_easy_getinfo(req->easy, CURLINFO_SSL_VERIFYRESULT,
	    &resp.ssl_verify_result);
	resp.namelookup_s = http_info_s(req->easy, CURLINFO_NAMELOOKUP_TIME_T);
	resp.curl_code = (int)rc;
	http_certinfo(req->easy, &resp);
	if (rc != CURLE_OK) {
		memset(&err, 0, sizeof err);
		http_map_error(req, rc, status, &err);
		errp = &err;
		log_debug("http: %s %s failed: %s", req->method, req->url,
		    err.msg);
	} else
		log_debug("http: %s %s -> %ld, %zu bytes, %.3fs, %u attempt(s)",
		    req->method, req->url, status, resp.len, resp.time_s,
		    req->attempts);

	http_req_unlink(req);
	req->state = HTTP_REQ_CALLING;
	req->cb(errp, &resp, req->arg);
	/* the answer to a request with credentials may hold a token */
	if (resp.body != NULL && req->redact)
		freezero(resp.body, cap);
	else
		free(resp.body);
	req->state = HTTP_REQ_WAITING;	/* nothing on the multi */
	http_req_free(req);
}

/* The loop's CURLMSG_DONE: retry or finish. */
static void
http_req_done(struct loop_xfer *xfer, CURLcode rc)
{
	struct http_req	*req = (struct http_req *)xfer;
	long		 status = 0;
	unsigned int	 ms;

	loop_xfer_remove(req->h->lp, req->easy);
	req->state = HTTP_REQ_WAITING;
	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
	if (req->retry && !req->toobig && http_retryable(rc, status) &&
	    !http_timed_out_connected(req, rc) &&
	    req->attempts <= (unsigned int)req->h->opts.max_retries) {
		ms = http_retry_delay(req);
		log_debug("http: %s %s attempt %u: %s %ld; retry in %u ms",
		    req->method, req->url, req->attempts,
		    rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP", status,
		    ms);
		req->timer = loop_timer_add(req->h->lp, ms, http_retry_fire,
		    req);
		return;
	}
	http_req_finish(req, rc, status);
}

const char *
http_resp_header(const struct http_resp *resp, const char *name)
{
	size_t	i;

	if (resp == NULL)
		return (NULL);
	for (i = resp->nhdrs; i > 0; i--) {
		if (strcasecmp(resp->hdrs[i - 1].name, name) == 0)
			return (resp->hdrs[i - 1].value);
	}
	return (NULL);
}

/* RFC 3986 unreserved characters pass; everything else is %XX. */
char *
http_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*out, *o;
	size_t			 len = strlen(s);

	if (len > (SIZE_MAX - 1) / 3)
		fatalx("http_escape: too long");
	o = out = xmalloc(len * 3 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' ||
		    *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
		}
	}
	*o = '\0';
	return (out);
}

/* Retry-After: delta-seconds or an HTTP date; a past date is 0. */
long
http_retry_after_ms(const char *v)
{
	const char	*p;
	long long	 secs;
	time_t		 t, now;

	if (v == NULL)
		return (-1);
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\0')
		return (-1);
	if (isdigit((unsigned char)*v)) {
		secs = 0;
		for (p = v; isdigit((unsigned char)*p); p++) {
			if (secs < 1000000000LL)
				secs = secs * 10 + (*p - '0');
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0')
			return (-1);
		if (secs > LONG_MAX / 1000)
			return (LONG_MAX);
		return ((long)secs * 1000);
	}
	if ((t = curl_getdate(v, NULL)) == -1)
		return (-1);
	now = time(NULL);
	if (t <= now)
		return (0);
	if ((long long)(t - now) > LONG_MAX / 1000)
		return (LONG_MAX);
	return ((long)(t - now) * 1000);
}
