/*
 * test-http.c: the http client against tests/unit/httpd.py, a loopback
 * server with scripted responses (statuses, Retry-After, delays, resets,
 * big bodies, TLS with a self-signed certificate).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "berth/berr.h"
#include "berth/http.h"
#include "berth/log.h"
#include "berth/loop.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#ifndef ABS_TOP_SRCDIR
#define ABS_TOP_SRCDIR "."
#endif

struct server {
	pid_t	pid;
	int	port;
	char	dir[64];	/* TLS: cert.pem lives here */
};

static struct server	plain;

struct fx {
	struct loop	*lp;
	struct http	*h;
	struct req_owner owner;
};

struct result {
	int		calls;
	int		failed;
	struct berr	err;
	long		status;
	unsigned int	attempts;
	long		verify;		/* ssl_verify_result */
	char		*body;
	char		*ctype;
	char		*server_hdr;
};

/* fork+exec httpd.py; its first stdout line is the port. */
static void
server_start(struct server *srv, int tls)
{
	const char	*top = getenv("top_srcdir");
	char		*script, line[32];
	int		 pfd[2], n = 0;
	struct pollfd	 pf;
	ssize_t		 r;
	const char	*errstr;

	memset(srv, 0, sizeof *srv);
	xasprintf(&script, "%s/tests/unit/httpd.py",
	    top != NULL && *top != '\0' ? top : ABS_TOP_SRCDIR);
	if (tls) {
		strlcpy(srv->dir, "/tmp/berth-httpd-XXXXXX", sizeof srv->dir);
		assert_non_null(mkdtemp(srv->dir));
	}
	assert_int_equal(pipe(pfd), 0);
	srv->pid = fork();
	assert_true(srv->pid != -1);
	if (srv->pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		if (tls)
			execl("/usr/bin/python3", "python3", script, "--tls",
			    srv->dir, (char *)NULL);
		else
			execl("/usr/bin/python3", "python3", script,
			    (char *)NULL);
		_exit(127);
	}
	free(script);
	close(pfd[1]);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	while ((size_t)n < sizeof line - 1 && memchr(line, '\n', n) == NULL) {
		assert_true(poll(&pf, 1, 30000) == 1);
		r = read(pfd[0], line + n, sizeof line - 1 - n);
		assert_true(r > 0);
		n += (int)r;
		line[n] = '\0';
	}
	close(pfd[0]);
	line[strcspn(line, "\n")] = '\0';
	srv->port = (int)strtonum(line, 1, 65535, &errstr);
	assert_null(errstr);
}

static void
server_stop(struct server *srv)
{
	char	path[128];

	if (srv->pid > 0) {
		kill(srv->pid, SIGTERM);
		waitpid(srv->pid, NULL, 0);
		srv->pid = 0;
	}
	if (srv->dir[0] != '\0') {
		snprintf(path, sizeof path, "%s/cert.pem", srv->dir);
		unlink(path);
		snprintf(path, sizeof path, "%s/key.pem", srv->dir);
		unlink(path);
		rmdir(srv->dir);
		srv->dir[0] = '\0';
	}
}

static int
group_setup(void **state)
{
	static const char *const proxies[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"
	};
	size_t	i;

	for (i = 0; i < nitems(proxies); i++)
		unsetenv(proxies[i]);
	signal(SIGPIPE, SIG_IGN);
	server_start(&plain, 0);
	return (0);
}

static int
group_teardown(void **state)
{
	server_stop(&plain);
	return (0);
}

static struct fx *
fx_new(const struct http_opts *o)
{
	struct fx		*fx = xcalloc(1, sizeof *fx);
	struct http_opts	 def;

	memset(&def, 0, sizeof def);
	def.max_retries = -1;
	def.retry_base_ms = 10;
	fx->lp = loop_new();
	fx->h = http_new(fx->lp, o != NULL ? o : &def);
	req_owner_init(&fx->owner);
	return (fx);
}

static void
fx_free(struct fx *fx)
{
	http_free(fx->h);
	loop_free(fx->lp);
	free(fx);
}

static void
result_clear(struct result *r)
{
	free(r->body);
	free(r->ctype);
	free(r->server_hdr);
	memset(r, 0, sizeof *r);
}

static void
record_cb(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct result	*r = arg;
	const char	*v;

	r->calls++;
	if (err != NULL) {
		r->failed = 1;
		r->err = *err;
	}
	r->status = resp->status;
	r->attempts = resp->attempts;
	r->verify = resp->ssl_verify_result;
	if (resp->body != NULL) {
		r->body = resp->body;	/* steal it */
		resp->body = NULL;
	}
	if ((v = http_resp_header(resp, "CONTENT-type")) != NULL)
		r->ctype = xstrdup(v);
	if ((v = http_resp_header(resp, "server")) != NULL)
		r->server_hdr = xstrdup(v);
}

static char *
url(const struct server *srv, const char *path)
{
	char	*u;

	xasprintf(&u, "%s://127.0.0.1:%d%s", srv->dir[0] ? "https" : "http",
	    srv->port, path);
	return (u);
}

/* Send one request on fx and wait for it. */
static void
run(struct fx *fx, struct http_reqspec *spec, const char *path,
    struct result *r)
{
	char	*u = url(&plain, path);

	spec->url = u;
	http_send(fx->h, spec, &fx->owner, record_cb, r);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	assert_int_equal(r->calls, 1);
	free(u);
}

struct idle {
	struct loop	*lp;
	int		 calls;
	int		 busy_calls;	/* idle while transfers ran: a bug */
};

static void
idle_cb(void *arg)
{
	struct idle	*i = arg;

	i->calls++;
	if (loop_transfers(i->lp) != 0)
		i->busy_calls++;
}

static void
test_get_ok(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	const char *const	 hdrs[] = { "X-Berth-Test: yes", NULL };
	struct idle		 idle = { fx->lp, 0, 0 };

	loop_set_idle(fx->lp, idle_cb, &idle);
	s.headers = hdrs;
	run(fx, &s, "/echo", &r);
	/* The idle hook ran once the request finished, never while busy. */
	assert_true(idle.calls >= 1);
	assert_int_equal(idle.busy_calls, 0);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(r.ctype, "application/json");
	assert_non_null(r.server_hdr);
	assert_non_null(strstr(r.body, "\"method\": \"GET\""));
	assert_non_null(strstr(r.body, "\"x-berth-test\": \"yes\""));
	assert_non_null(strstr(r.body, "\"user-agent\": \"berth/"));
	assert_false(req_owner_busy(&fx->owner));
	assert_int_equal(loop_transfers(fx->lp), 0);
	result_clear(&r);
	fx_free(fx);
}

static void
test_methods(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	s.method = "put";
	s.body = "{\"a\":1}";
	s.body_len = strlen(s.body);
	run(fx, &s, "/echo", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"method\": \"PUT\""));
	assert_non_null(strstr(r.body, "\"body\": \"{\\\"a\\\":1}\""));
	assert_non_null(strstr(r.body,
	    "\"content-type\": \"application/json\""));
	result_clear(&r);

	memset(&s, 0, sizeof s);
	s.method = "HEAD";
	run(fx, &s, "/echo", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.failed, 0);
	assert_string_equal(r.body, "");
	result_clear(&r);

	memset(&s, 0, sizeof s);
	s.method = "DELETE";
	run(fx, &s, "/echo", &r);
	assert_non_null(strstr(r.body, "\"method\": \"DELETE\""));
	result_clear(&r);
	fx_free(fx);
}

static void
test_retry_503(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	run(fx, &s, "/seq/r503?codes=503,503,200", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 3);
	assert_non_null(strstr(r.body, "\"n\": 3"));
	result_clear(&r);

	/* 429, 502, 504 too; and the last status is returned when retries end. */
	run(fx, &s, "/seq/rmix?codes=429,502,504,504,504,200", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 504);
	assert_int_equal(r.attempts, 4);
	result_clear(&r);
	fx_free(fx);
}

static void
test_retry_after(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	struct http_opts	 o = { .max_retries = 3, .retry_base_ms = 10,
				    .retry_max_ms = 300 };
	uint64_t		 start;

	start = loop_now_ms();
	run(fx, &s, "/seq/ra1?codes=503,200&ra=1", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	assert_true(loop_now_ms() - start >= 1000);
	result_clear(&r);
	fx_free(fx);

	/* Retry-After beyond retry_max_ms is capped (else this would hang). */
	fx = fx_new(&o);
	start = loop_now_ms();
	run(fx, &s, "/seq/ra2?codes=503,200&ra=3600", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	assert_true(loop_now_ms() - start >= 300);
	result_clear(&r);
	fx_free(fx);
}

static long
server_count(struct fx *fx, const char *name)
{
	struct http_reqspec	 s = { .retry = 0 };
	struct result		 r = { 0 };
	struct req_owner	 own;
	char			*path, *p;
	long			 n;

	req_owner_init(&own);
	xasprintf(&path, "/count/%s", name);
	s.url = url(&plain, path);
	http_send(fx->h, &s, &own, record_cb, &r);
	assert_int_equal(http_wait(fx->lp, &own), 0);
	free(path);
	free((char *)(uintptr_t)s.url);
	assert_int_equal(r.status, 200);
	p = strstr(r.body, "\"count\": ");
	assert_non_null(p);
	n = strtol(p + 9, NULL, 10);
	result_clear(&r);
	return (n);
}

static void
test_no_retry(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	s.method = "POST";
	s.body = "{}";
	s.body_len = 2;
	run(fx, &s, "/seq/post?codes=503,200", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 503);
	assert_int_equal(r.attempts, 1);
	result_clear(&r);
	assert_int_equal(server_count(fx, "seq/post"), 1);

	/* POST with retry forced on is retried. */
	s.retry = 1;
	run(fx, &s, "/seq/post2?codes=503,200", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.attempts, 2);
	result_clear(&r);

	memset(&s, 0, sizeof s);
	s.retry = -1;
	run(fx, &s, "/seq/nf?codes=404,200", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.attempts, 1);
	result_clear(&r);
	assert_int_equal(server_count(fx, "seq/nf"), 1);
	fx_free(fx);
}

/* A loopback port with nothing listening. */
static int
closed_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

static void
test_refused(void **state)
{
	struct http_opts	 o = { .max_retries = 2, .retry_base_ms = 10 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	char			*u;

	xasprintf(&u, "http://127.0.0.1:%d/x", closed_port());
	s.url = u;
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.attempts, 3);
	assert_non_null(strstr(r.err.msg, "127.0.0.1"));
	assert_int_equal(berr_exit_code(&r.err), 3);
	result_clear(&r);
	free(u);

	/* A reset connection is a network error too, after the retries. */
	run(fx, &s, "/reset", &r);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_int_equal(r.attempts, 3);
	result_clear(&r);
	fx_free(fx);
}

static void
test_timeouts(void **state)
{
	struct http_opts	 o = { .max_retries = 0, .timeout_ms = 300 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	run(fx, &s, "/delay?ms=3000", &r);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_non_null(strstr(r.err.msg, "timed out"));
	assert_int_equal(r.attempts, 1);
	result_clear(&r);

	/* A timeout after connecting is not retried, even when allowed. */
	o.max_retries = 3;
	o.retry_base_ms = 10;
	fx_free(fx);
	fx = fx_new(&o);
	run(fx, &s, "/delay?ms=3000", &r);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_int_equal(r.attempts, 1);
	result_clear(&r);

	/* Per-request timeout overrides the client's. */
	o.timeout_ms = 0;
	s.timeout_ms = 200;
	fx_free(fx);
	fx = fx_new(&o);
	run(fx, &s, "/trickle?n=50&ms=100", &r);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_non_null(strstr(r.err.msg, "timed out"));
	result_clear(&r);
	fx_free(fx);
}

/*
 * Connect timeout: a listener whose accept queue is full drops new SYNs,
 * so the connect never completes.
 */
static void
test_connect_timeout(void **state)
{
	struct http_opts	 o = { .max_retries = 1, .retry_base_ms = 10,
				    .connect_timeout_ms = 200 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 lfd, cfd[8], i;
	char			*u;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(lfd, 0), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	for (i = 0; i < 8; i++) {
		cfd[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(cfd[i], (struct sockaddr *)&sin, sizeof sin);
	}
	xasprintf(&u, "http://127.0.0.1:%d/x", ntohs(sin.sin_port));
	s.url = u;
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_NET);
	assert_non_null(strstr(r.err.msg, "timed out"));
	assert_int_equal(r.attempts, 2);
	result_clear(&r);
	free(u);
	for (i = 0; i < 8; i++)
		close(cfd[i]);
	close(lfd);
	fx_free(fx);
}

static void
test_size_cap(void **state)
{
	struct http_opts	 o = { .max_retries = 3, .max_body = 1000 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	run(fx, &s, "/big?n=1000", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(strlen(r.body), 1000);
	result_clear(&r);

	run(fx, &s, "/big?n=5000", &r);		/* Content-Length */
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_TOOBIG);
	assert_int_equal(r.attempts, 1);
	result_clear(&r);

	run(fx, &s, "/big?n=300000&chunked=1", &r);	/* write callback */
	assert_int_equal(r.err.kind, BERR_TOOBIG);
	assert_non_null(strstr(r.err.msg, "1000 bytes"));
	result_clear(&r);

	s.max_body = 100000;				/* per request */
	run(fx, &s, "/big?n=5000&chunked=1", &r);
	assert_int_equal(r.failed, 0);
	assert_int_equal(strlen(r.body), 5000);
	result_clear(&r);

	run(fx, &s, "/hdrs?n=400&size=10", &r);		/* header count */
	assert_int_equal(r.err.kind, BERR_TOOBIG);
	result_clear(&r);
	fx_free(fx);
}

static void
test_cancel(void **state)
{
	struct http_opts	 o = { .max_retries = 3, .retry_base_ms = 5000 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 a = { 0 }, b = { 0 }, c = { 0 };
	struct req_owner	 other;
	struct http_req		*req;
	char			*u1, *u2, *u3;
	uint64_t		 end;

	req_owner_init(&other);
	u1 = url(&plain, "/delay?ms=200");
	u2 = url(&plain, "/seq/cw?codes=503,200");
	u3 = url(&plain, "/delay?ms=600");
	s.url = u1;
	req = http_send(fx->h, &s, &fx->owner, record_cb, &a);
	http_cancel(req);
	assert_false(req_owner_busy(&fx->owner));
	s.url = u2;
	http_send(fx->h, &s, &fx->owner, record_cb, &b);
	s.url = u3;
	http_send(fx->h, &s, &other, record_cb, &c);
	/* Let the first 503 arrive (b then waits seconds to retry), cancel. */
	end = loop_now_ms() + 10000;
	while (server_count(fx, "seq/cw") == 0 && loop_now_ms() < end)
		loop_once(fx->lp, 20);
	assert_int_equal(server_count(fx, "seq/cw"), 1);
	assert_int_equal(b.calls, 0);
	req_owner_cancel(&fx->owner);
	assert_false(req_owner_busy(&fx->owner));
	assert_int_equal(http_wait(fx->lp, &other), 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.status, 200);
	assert_int_equal(a.calls, 0);
	assert_int_equal(b.calls, 0);
	assert_int_equal(loop_transfers(fx->lp), 0);
	result_clear(&c);
	free(u1);
	free(u2);
	free(u3);
	fx_free(fx);
}

static void
test_owner_cancel(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r[4];
	struct req_owner	 other;
	char			*u;
	int			 i;
	uint64_t		 end;

	memset(r, 0, sizeof r);
	req_owner_init(&other);
	u = url(&plain, "/delay?ms=300");
	s.url = u;
	for (i = 0; i < 3; i++)
		http_send(fx->h, &s, &fx->owner, record_cb, &r[i]);
	http_send(fx->h, &s, &other, record_cb, &r[3]);
	assert_int_equal(loop_transfers(fx->lp), 4);
	loop_once(fx->lp, 10);
	req_owner_cancel(&fx->owner);
	assert_false(req_owner_busy(&fx->owner));
	assert_true(req_owner_busy(&other));
	assert_int_equal(http_wait(fx->lp, &other), 0);
	/* Run on a while longer: the cancelled ones never call back. */
	end = loop_now_ms() + 600;
	while (loop_now_ms() < end)
		loop_once(fx->lp, 50);
	for (i = 0; i < 3; i++)
		assert_int_equal(r[i].calls, 0);
	assert_int_equal(r[3].calls, 1);
	assert_int_equal(r[3].status, 200);
	result_clear(&r[3]);
	/* http_free cancels what is left, without callbacks. */
	http_send(fx->h, &s, &fx->owner, record_cb, &r[0]);
	http_free(fx->h);
	fx->h = NULL;
	assert_false(req_owner_busy(&fx->owner));
	assert_int_equal(loop_transfers(fx->lp), 0);
	assert_int_equal(r[0].calls, 0);
	free(u);
	fx_free(fx);
}

static void
test_concurrent(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r[12];
	char			*u;
	int			 i;

	/* The server answers only once all 12 are in flight at once. */
	memset(r, 0, sizeof r);
	u = url(&plain, "/gate/conc?n=12");
	s.url = u;
	for (i = 0; i < 12; i++)
		http_send(fx->h, &s, &fx->owner, record_cb, &r[i]);
	assert_int_equal(loop_transfers(fx->lp), 12);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	for (i = 0; i < 12; i++) {
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].status, 200);
		result_clear(&r[i]);
	}
	free(u);
	fx_free(fx);
}

static void
test_low_speed(void **state)
{
	struct http_opts	 o = { .max_retries = 0, .low_speed_time_s = 1 };
	struct fx		*fx = fx_new(&o);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	run(fx, &s, "/trickle?n=5&ms=2500", &r);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_NET);
	result_clear(&r);
	fx_free(fx);
}

struct reentry {
	struct fx	*fx;
	struct http_req	*self;
	struct req_owner *victims;
	int		 calls;
	int		 chained;
	struct result	 chain;
};

/* A callback may cancel itself (no-op), other owners, and send more. */
static void
reentry_cb(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct reentry		*re = arg;
	struct http_reqspec	 s = { .retry = -1 };
	char			*u;

	re->calls++;
	http_cancel(re->self);
	req_owner_cancel(re->victims);
	if (!re->chained) {
		re->chained = 1;
		u = url(&plain, "/echo");
		s.url = u;
		http_send(re->fx->h, &s, &re->fx->owner, record_cb, &re->chain);
		free(u);
	}
}

static void
test_callback_reentry(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct req_owner	 victims;
	struct result		 v = { 0 };
	struct reentry		 re;
	char			*u1, *u2;

	memset(&re, 0, sizeof re);
	req_owner_init(&victims);
	re.fx = fx;
	re.victims = &victims;
	u1 = url(&plain, "/echo");
	u2 = url(&plain, "/delay?ms=500");
	s.url = u2;
	http_send(fx->h, &s, &victims, record_cb, &v);
	s.url = u1;
	re.self = http_send(fx->h, &s, &fx->owner, reentry_cb, &re);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	assert_int_equal(re.calls, 1);
	assert_int_equal(re.chain.calls, 1);
	assert_int_equal(re.chain.status, 200);
	assert_int_equal(v.calls, 0);
	assert_false(req_owner_busy(&victims));
	result_clear(&re.chain);
	free(u1);
	free(u2);
	fx_free(fx);
}

/* Freeing the loop before the client drops its transfers quietly. */
static void
test_loop_freed_first(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	char			*u;

	u = url(&plain, "/delay?ms=300");
	s.url = u;
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	loop_once(fx->lp, 10);
	loop_free(fx->lp);
	assert_false(req_owner_busy(&fx->owner));
	http_free(fx->h);
	assert_int_equal(r.calls, 0);
	free(u);
	free(fx);
}

static void
test_no_cookies(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	run(fx, &s, "/cookie", &r);
	assert_non_null(strstr(r.body, "\"cookie\": null"));
	result_clear(&r);
	run(fx, &s, "/cookie", &r);
	assert_non_null(strstr(r.body, "\"cookie\": null"));
	result_clear(&r);
	fx_free(fx);
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	size_t	 n;

	assert_non_null(f);
	buf = xcalloc(1, 1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static void
test_auth_and_log(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	char			 pw[] = "pa55-w0rd-XYZ", tok[] = "tok-SECRET-123";
	struct secret		 spw = { pw, sizeof pw - 1 };
	struct secret		 stok = { tok, sizeof tok - 1 };
	char			 logpath[] = "/tmp/berth-test-log-XXXXXX";
	char			*log;
	int			 fd;

	fd = mkstemp(logpath);
	assert_true(fd >= 0);
	close(fd);
	log_open(logpath);
	assert_true(log_enabled());

	s.auth = HTTP_AUTH_BASIC;
	s.user = "alice";
	s.password = &spw;
	s.method = "POST";
	s.body = "{\"secret\":\"body-SECRET-456\"}";
	s.body_len = strlen(s.body);
	run(fx, &s, "/echo", &r);
	assert_int_equal(r.status, 200);
	/* base64("alice:pa55-w0rd-XYZ") */
	assert_non_null(strstr(r.body,
	    "\"authorization\": \"Basic YWxpY2U6cGE1NS13MHJkLVhZWg==\""));
	result_clear(&r);

	memset(&s, 0, sizeof s);
	s.auth = HTTP_AUTH_BEARER;
	s.token = &stok;
	run(fx, &s, "/echo", &r);
	assert_non_null(strstr(r.body,
	    "\"authorization\": \"Bearer tok-SECRET-123\""));
	result_clear(&r);

	run(fx, &s, "/cookie", &r);
	result_clear(&r);
	log_close();
	assert_false(log_enabled());

	log = slurp(logpath);
	assert_non_null(strstr(log, "[redacted]"));
	assert_non_null(strstr(log, "GET /echo"));
	assert_null(strstr(log, "pa55-w0rd-XYZ"));
	assert_null(strstr(log, "YWxpY2U6cGE1NS13MHJkLVhZWg"));
	assert_null(strstr(log, "tok-SECRET-123"));
	assert_null(strstr(log, "body-SECRET-456"));
	assert_null(strstr(log, "s3cr3tsid"));
	free(log);
	unlink(logpath);
	fx_free(fx);
}

/* Must run first: nothing has looked at $BERTH_LOG yet. */
static void
test_log_from_env(void **state)
{
	char	 logpath[] = "/tmp/berth-test-log-XXXXXX";
	char	*log;
	int	 fd;

	fd = mkstemp(logpath);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(setenv("BERTH_LOG", logpath, 1), 0);
	log_debug("hello %d", 42);
	assert_true(log_enabled());
	log_close();
	unsetenv("BERTH_LOG");
	log = slurp(logpath);
	assert_non_null(strstr(log, "hello 42\n"));
	free(log);
	unlink(logpath);
}

/* Control bytes never reach the log file. */
static void
test_log_sanitised(void **state)
{
	struct stat	 sb;
	char		 logpath[] = "/tmp/berth-test-log-XXXXXX";
	char		*log, *p;
	int		 fd;

	fd = mkstemp(logpath);
	assert_true(fd >= 0);
	close(fd);
	/* an existing log others may read is made private */
	assert_int_equal(chmod(logpath, 0644), 0);
	log_open(logpath);
	assert_int_equal(stat(logpath, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	log_debug("evil \033[2J\r\x7f%s", "tail\n");
	/* C1 CSI as UTF-8 and raw, invalid UTF-8, a bidi override */
	log_debug("c1 \xc2\x9b" "31m raw \x9b bad \xff\xfe bidi \xe2\x80\xae!");
	log_close();
	log_debug("not logged");
	log = slurp(logpath);
	assert_non_null(strstr(log, "evil \\033[2J\\015\\177tail\\012\n"));
	assert_non_null(strstr(log, "c1 \\302\\23331m raw \\233 bad \\377\\376 "
	    "bidi \\342\\200\\256!\n"));
	for (p = log; *p != '\0'; p++)
		assert_true(*p == '\n' || ((unsigned char)*p >= 0x20 &&
		    (unsigned char)*p < 0x7f));
	assert_null(strstr(log, "not logged"));
	free(log);
	unlink(logpath);
}

static void
test_tls(void **state)
{
	struct server		 tls;
	struct http_opts	 o = { .max_retries = 0 };
	struct fx		*fx;
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };
	char			*u, *ca;

	if (access("/usr/bin/openssl", X_OK) != 0) {
		print_message("no /usr/bin/openssl: TLS cases skipped\n");
		skip();
	}
	server_start(&tls, 1);
	u = url(&tls, "/echo");
	xasprintf(&ca, "%s/cert.pem", tls.dir);
	s.url = u;

	fx = fx_new(&o);		/* system trust: fails */
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	http_wait(fx->lp, &fx->owner);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.err.kind, BERR_TLS);
	assert_non_null(strstr(r.err.msg, "certificate verification failed"));
	assert_non_null(strstr(r.err.msg, "self"));	/* why */
	assert_int_equal(r.verify, 18);	/* X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT */
	assert_non_null(strstr(r.err.msg, "127.0.0.1"));
	assert_int_equal(berr_exit_code(&r.err), 3);
	result_clear(&r);
	fx_free(fx);

	o.ca_file = ca;			/* the CA file: ok */
	fx = fx_new(&o);
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	http_wait(fx->lp, &fx->owner);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.verify, 0);
	result_clear(&r);
	fx_free(fx);

	o.ca_file = "/nonexistent/ca.pem";	/* unreadable CA file */
	fx = fx_new(&o);
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	http_wait(fx->lp, &fx->owner);
	assert_int_equal(r.err.kind, BERR_TLS);
	result_clear(&r);
	fx_free(fx);

	o.ca_file = NULL;		/* explicit insecure: ok */
	o.insecure = 1;
	fx = fx_new(&o);
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	http_wait(fx->lp, &fx->owner);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.status, 200);
	result_clear(&r);
	fx_free(fx);

	free(u);
	free(ca);
	server_stop(&tls);
}

static void
test_bad_url(void **state)
{
	struct fx		*fx = fx_new(NULL);
	struct http_reqspec	 s = { .retry = -1 };
	struct result		 r = { 0 };

	s.url = "ftp://127.0.0.1/x";
	http_send(fx->h, &s, &fx->owner, record_cb, &r);
	assert_int_equal(http_wait(fx->lp, &fx->owner), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.attempts, 1);
	result_clear(&r);
	fx_free(fx);
}

static void
test_escape(void **state)
{
	static const struct {
		const char	*in, *out;
	} t[] = {
		{ "", "" },
		{ "abc-._~XYZ09", "abc-._~XYZ09" },
		{ "library/nginx", "library%2Fnginx" },
		{ "a b&c=d?e#f", "a%20b%26c%3Dd%3Fe%23f" },
		{ "\xc3\xa9\x01", "%C3%A9%01" },
	};
	size_t	i;
	char	*s, *s2;

	for (i = 0; i < nitems(t); i++) {
		s = http_escape(t[i].in);
		assert_string_equal(s, t[i].out);
		free(s);
	}
	/* Double encoding, as Harbor wants for repository names. */
	s = http_escape("a/b");
	s2 = http_escape(s);
	assert_string_equal(s2, "a%252Fb");
	free(s);
	free(s2);
}

static void
test_retry_after_parse(void **state)
{
	char		 date[64];
	time_t		 t;
	struct tm	 tm;
	long		 ms;

	assert_int_equal(http_retry_after_ms("0"), 0);
	assert_int_equal(http_retry_after_ms("120"), 120000);
	assert_int_equal(http_retry_after_ms(" 3 "), 3000);
	assert_int_equal(http_retry_after_ms(NULL), -1);
	assert_int_equal(http_retry_after_ms(""), -1);
	assert_int_equal(http_retry_after_ms("soon"), -1);
	assert_int_equal(http_retry_after_ms("12abc"), -1);
	assert_int_equal(http_retry_after_ms("-5"), -1);
	assert_true(http_retry_after_ms("99999999999999999999") > 0);
	assert_int_equal(http_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT"),
	    0);
	t = time(NULL) + 120;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	ms = http_retry_after_ms(date);
	assert_true(ms >= 110000 && ms <= 120000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_from_env),
		cmocka_unit_test(test_get_ok),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_retry_503),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_no_retry),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_owner_cancel),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_low_speed),
		cmocka_unit_test(test_callback_reentry),
		cmocka_unit_test(test_loop_freed_first),
		cmocka_unit_test(test_no_cookies),
		cmocka_unit_test(test_auth_and_log),
		cmocka_unit_test(test_log_sanitised),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_bad_url),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_retry_after_parse),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
