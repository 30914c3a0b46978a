/*
 * http.h: asynchronous HTTP(S) requests on the loop's curl multi handle.
 * Connection reuse, HTTP/2 when offered, connect/total/low-speed timeouts,
 * a response size cap enforced in the write callback, jittered retries of
 * idempotent requests on connection errors (a timeout only if the
 * connection never came up) and 429/502/503/504 (honouring
 * Retry-After), a CA file or explicit insecure mode per client, the proxy
 * from the environment as curl does, and never a cookie engine (Harbor's
 * CSRF check applies once a client sends its sid cookie back).
 * Credentials go through CURLOPT_USERNAME/PASSWORD or an Authorization
 * header built here; the debug log never shows them.
 */
#ifndef BERTH_HTTP_H
#define BERTH_HTTP_H

#include <stddef.h>
#include <sys/queue.h>

struct berr;
struct loop;
struct secret;
struct http;
struct http_req;

struct http_opts {
	const char	*ca_file;		/* NULL: system trust store */
	int		 insecure;		/* 1: no peer/host verification */
	long		 connect_timeout_ms;	/* 0: 10000 */
	long		 timeout_ms;		/* whole transfer; 0: 120000 */
	long		 low_speed_time_s;	/* < 1 B/s this long aborts; 0: 30 */
	size_t		 max_body;		/* 0: 64 MiB */
	int		 max_retries;		/* -1: 3; 0 disables */
	long		 retry_base_ms;		/* 0: 200; doubled, jittered */
	long		 retry_max_ms;		/* cap incl. Retry-After; 0: 10000 */
};

struct http_header {
	char	*name;
	char	*value;
};

/*
 * A finished response. Borrowed by the callback; it may steal body (set
 * resp->body = NULL and free() it later). Header names/values are raw
 * network bytes: sanitise before showing them.
 */
struct http_resp {
	long			 status;	/* 0 if no HTTP response */
	char			*body;		/* NUL-terminated; "" when empty;
						   NULL when err != NULL */
	size_t			 len;
	struct http_header	*hdrs;		/* of the last attempt */
	size_t			 nhdrs;
	const char		*url;		/* effective URL */
	const char		*ip;		/* primary IP, may be "" */
	double			 time_s;	/* total of the last attempt */
	double			 connect_s, tls_s, ttfb_s;
	unsigned int		 attempts;
	long			 ssl_verify_result;
	double			 namelookup_s;	/* DNS part of connect_s */
	int			 curl_code;	/* 0: transfer completed */
	/* Leaf certificate as curl prints it, when the request asked for
	 * certinfo and a new TLS connection was made; else NULL. Borrowed
	 * for the callback's duration. */
	const char		*cert_subject;
	const char		*cert_issuer;
	const char		*cert_start;
	const char		*cert_expire;
};
#define HTTP_HAVE_CERTINFO 1

enum http_auth {
	HTTP_AUTH_NONE = 0,
	HTTP_AUTH_BASIC,	/* user + password */
	HTTP_AUTH_BEARER	/* token */
};

struct http_reqspec {
	const char		*method;	/* NULL: GET */
	const char		*url;
	const char		*body;		/* NULL: none */
	size_t			 body_len;
	const char		*content_type;	/* with body */
	const char *const	*headers;	/* NULL-terminated "Name: value" */
	enum http_auth		 auth;
	const char		*user;
	const struct secret	*password;	/* basic */
	const struct secret	*token;		/* bearer */
	int			 retry;		/* -1: by method (GET/HEAD/PUT/DELETE
						   yes, POST/PATCH no); 0; 1 */
	long			 timeout_ms;	/* 0: the client's */
	size_t			 max_body;	/* 0: the client's */
	int			 certinfo;	/* 1: collect the peer's leaf
						   certificate (resp->cert_*) */
	int			 follow;	/* 1: follow up to 5 redirects;
						   credentials stay with the
						   first host */
};

/*
 * Completion: called exactly once from the loop, unless the request was
 * cancelled (then never). err is NULL when an HTTP response arrived, of
 * any status (4xx/5xx included: map them yourself); otherwise it says why
 * not (BERR_NET, BERR_TLS, BERR_TOOBIG, BERR_CONFIG for a bad URL or
 * scheme) and resp may still carry timing. Both are borrowed. The
 * callback may send new requests and cancel any other request or owner
 * (cancelling its own request is a no-op); it must not free the loop.
 * The request handle is invalid once the callback returns.
 */
typedef void (*http_cb)(const struct berr *, struct http_resp *, void *);

/* Who a request belongs to (a screen, a CLI command); cancels as a group. */
struct req_owner {
	TAILQ_HEAD(, http_req)	reqs;
};

struct http	*http_new(struct loop *, const struct http_opts *);
void		 http_free(struct http *);	/* NULL ok; cancels its requests */
const struct http_opts *http_opts(const struct http *);

/* Start a request. owner may be NULL. Never fails; errors come by callback. */
struct http_req	*http_send(struct http *, const struct http_reqspec *,
		    struct req_owner *, http_cb, void *);
void		 http_cancel(struct http_req *);	/* no callback */

void		 req_owner_init(struct req_owner *);
void		 req_owner_cancel(struct req_owner *);	/* no callbacks */
int		 req_owner_busy(const struct req_owner *);

/*
 * CLI helper: run the loop until the owner has no requests left (or the
 * loop quits). Returns 0, or -1 if the loop quit first.
 */
int		 http_wait(struct loop *, struct req_owner *);

/* Case-insensitive header lookup in a response (last occurrence). */
const char	*http_resp_header(const struct http_resp *, const char *);
/* Percent-encode for a path segment or query value (caller frees). */
char		*http_escape(const char *);
/* Parse Retry-After (seconds or HTTP date) to ms; -1 if absent/bad. */
long		 http_retry_after_ms(const char *);

#endif
