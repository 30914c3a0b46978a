/*
 * probe.c: the connection ladder (see probe.h). One struct probe walks
 * the rungs on the loop with its own http client (no retries, short
 * timeouts, the endpoint's CA) and an oci client for the auth dance.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <time.h>
#include <netinet/in.h>

#include <cjson/cJSON.h>

#include "berth/probe.h"
#include "berth/berr.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/oci.h"
#include "berth/sanitize.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

static const char *const probe_names[PROBE_NSTEPS] = {
	"url", "dns", "tcp", "tls", "v2", "token", "catalog", "tags"
};

struct probe {
	struct loop		*loop;
	struct http		*http;
	struct http		*peek;		/* insecure, to read a cert */
	struct oci		*oci;
	struct req_owner	 owner;
	struct oci_url		 url;
	char			*user;
	struct secret		*password;
	char			*org;
	char			*repo;
	char			*proxy;		/* from the environment */
	uint64_t		 t0;		/* start of the current rung */
	struct probe_result	 res;
	struct loop_timer	*timer;
	probe_cb		 cb;
	void			*arg;
	struct probe_result	**sync;		/* probe_run */
	int			 done;
};

static int	probe_ip_literal(const char *);
static void	probe_token(struct probe *);
static void	probe_catalog(struct probe *);
static void	probe_tags(struct probe *, const char *);
static void	probe_finish(struct probe *);

const char *
probe_status_name(enum probe_status s)
{
	switch (s) {
	case PROBE_OK:
		return ("ok");
	case PROBE_WARN:
		return ("warn");
	case PROBE_FAIL:
		return ("fail");
	default:
		return ("skip");
	}
}

/* Set a rung; detail and hint are printf formats (hint may be NULL). */
static void
probe_set(struct probe *p, enum probe_step step, enum probe_status st,
    long ms, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void
probe_set(struct probe *p, enum probe_step step, enum probe_status st,
    long ms, const char *hint, const char *fmt, ...)
{
	struct probe_rung	*r = &p->res.rungs[step];
	va_list			 ap;
	char			*d;

	r->status = st;
	r->ms = ms;
	va_start(ap, fmt);
	if (vasprintf(&d, fmt, ap) == -1)
		fatalx("vasprintf failed");
	va_end(ap);
	free(r->detail);
	r->detail = san_str(d);
	free(d);
	free(r->hint);
	r->hint = hint != NULL ? san_str(hint) : NULL;
	if (st == PROBE_FAIL) {
		p->res.failed++;
		if (p->res.cause == NULL)
			xasprintf(&p->res.cause, "%s: %s", r->name, r->detail);
	} else if (st == PROBE_WARN)
		p->res.warned++;
}

/* Skip every rung from step on that is still unset. */
static void
probe_skip_from(struct probe *p, enum probe_step step, const char *why)
{
	for (; step < PROBE_NSTEPS; step++) {
		if (p->res.rungs[step].detail == NULL)
			probe_set(p, step, PROBE_SKIP, -1, NULL, "%s", why);
	}
}

static long
probe_elapsed(struct probe *p)
{
	return ((long)(loop_now_ms() - p->t0));
}

/* ---- proxy from the environment, as curl reads it ------------------- */

static int
probe_no_proxy(const char *host)
{
	const char	*np, *s, *e;
	size_t		 n, hl = strlen(host);

	if ((np = getenv("no_proxy")) == NULL && (np = getenv("NO_PROXY")) ==
	    NULL)
		return (0);
	for (s = np; *s != '\0'; s = *e ? e + 1 : e) {
		while (*s == ' ')
			s++;
		e = s + strcspn(s, ",");
		n = e - s;
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (n == 1 && *s == '*')
			return (1);
		if (n > 0 && *s == '.') {
			s++;
			n--;
		}
		if (n == 0 || n > hl)
			continue;
		if (strncasecmp(host + hl - n, s, n) == 0 &&
		    (hl == n || host[hl - n - 1] == '.'))
			return (1);
	}
	return (0);
}

static char *
probe_proxy_env(const struct oci_url *u)
{
	const char	*v = NULL;

	if (probe_no_proxy(u->host))
		return (NULL);
	if (strcmp(u->scheme, "https") == 0) {
		if ((v = getenv("https_proxy")) == NULL)
			v = getenv("HTTPS_PROXY");
	} else
		v = getenv("http_proxy");
	if (v == NULL && (v = getenv("all_proxy")) == NULL)
		v = getenv("ALL_PROXY");
	if (v == NULL || *v == '\0')
		return (NULL);
	/* Never show credentials of a proxy URL. */
	if (strchr(v, '@') != NULL)
		return (xstrdup(strrchr(v, '@') + 1));
	return (san_str(v));
}

/* ---- TLS ----------------------------------------------------------- */

/* OpenSSL X509_V_ERR_* codes as curl reports them, in words. */
static const char *
probe_x509_text(long v)
{
	switch (v) {
	case 2:		/* unable to get issuer certificate */
	case 20:	/* unable to get local issuer certificate */
	case 21:	/* unable to verify the first certificate */
		return ("unknown certificate authority (private or "
		    "missing intermediate CA)");
	case 18:
		return ("self-signed certificate");
	case 19:
		return ("self-signed certificate in the chain");
	case 9:
		return ("certificate not yet valid");
	case 10:
		return ("certificate expired");
	case 62:
		return ("certificate does not match the host name");
	case 23:
		return ("certificate revoked");
	default:
		return (NULL);
	}
}

/* Days from now to a curl certinfo date ("Jan  1 00:00:00 2027 GMT"). */
static int
probe_cert_days(const char *s, long *days)
{
	struct tm	 tm;
	const char	*end;
	time_t		 t;

	if (s == NULL)
		return (-1);
	while (*s == ' ')
		s++;
	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%b %d %H:%M:%S %Y", &tm)) == NULL)
		return (-1);
	if ((t = timegm(&tm)) == (time_t)-1)
		return (-1);
	*days = (long)((t - time(NULL)) / 86400);
	return (0);
}

#define PROBE_CERT_WARN_DAYS	14

/* A verified certificate: its expiry, warned when close. */
static void
probe_tls_ok(struct probe *p, const struct http_resp *resp, long ms)
{
	long		 days = 0;
	const char	*exp = NULL;

#ifdef HTTP_HAVE_CERTINFO
	exp = resp->cert_expire;
#endif
	if (probe_cert_days(exp, &days) == -1) {
		probe_set(p, PROBE_TLS, PROBE_OK, ms, NULL,
		    "certificate verified for %s", p->url.host);
		return;
	}
	while (*exp == ' ')
		exp++;
	if (days < PROBE_CERT_WARN_DAYS)
		probe_set(p, PROBE_TLS, PROBE_WARN, ms,
		    "renew the registry's certificate soon",
		    "certificate verified for %s, expires %s (in %ld days)",
		    p->url.host, exp, days);
	else
		probe_set(p, PROBE_TLS, PROBE_OK, ms, NULL,
		    "certificate verified for %s, expires %s (in %ld days)",
		    p->url.host, exp, days);
}

static void
probe_tls_fail(struct probe *p, const struct berr *err,
    const struct http_resp *resp)
{
	const char	*why = NULL;
	long		 v = resp != NULL ? resp->ssl_verify_result : 0;
	const char	*hint;

	if (v != 0)
		why = probe_x509_text(v);
	if (why == NULL && strstr(err->msg, "verif") != NULL)
		why = "certificate verification failed";
	if (v == 10 || v == 9)
		hint = "renew the registry's certificate (or fix the clock)";
	else if (v == 62)
		hint = "use the host name the certificate was issued for";
	else if (why != NULL)
		hint = "unknown CA: pass --ca-file FILE here, and set the CA "
		    "certificate on the endpoint (or turn off Verify Remote "
		    "Cert) for Harbor";
	else
		hint = "TLS handshake failed: is the port serving plain http, "
		    "or a proxy intercepting TLS?";
	if (probe_ip_literal(p->url.host))
		probe_set(p, PROBE_DNS, PROBE_SKIP, -1, NULL,
		    "address literal, no lookup");
	else
		probe_set(p, PROBE_DNS, PROBE_OK, -1, NULL, "%s",
		    resp != NULL && resp->ip != NULL && *resp->ip ? resp->ip :
		    "resolved");
	probe_set(p, PROBE_TCP, PROBE_OK,
	    resp != NULL ? (long)(resp->connect_s * 1000) : -1, NULL,
	    "connected to port %d%s%s", p->url.port,
	    p->proxy ? " via proxy " : "", p->proxy ? p->proxy : "");
	probe_set(p, PROBE_TLS, PROBE_FAIL, -1, hint, "%s (%s)",
	    why != NULL ? why : "handshake failed", err->msg);
}

#ifdef HTTP_HAVE_CERTINFO
/* Append text to a rung's detail. */
static void
probe_append(struct probe *p, enum probe_step step, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
probe_append(struct probe *p, enum probe_step step, const char *fmt, ...)
{
	struct probe_rung	*r = &p->res.rungs[step];
	va_list			 ap;
	char			*a, *d, *n;

	va_start(ap, fmt);
	if (vasprintf(&a, fmt, ap) == -1)
		fatalx("vasprintf failed");
	va_end(ap);
	d = san_str(a);
	xasprintf(&n, "%s%s", r->detail != NULL ? r->detail : "", d);
	free(r->detail);
	r->detail = n;
	free(a);
	free(d);
}

/* What the certificate says, read without verification. */
static void
probe_tls_peek_done(const struct berr *err, struct http_resp *resp,
    void *arg)
{
	struct probe	*p = arg;
	long		 days;

	if (resp != NULL && resp->cert_subject != NULL) {
		probe_append(p, PROBE_TLS, "; the server's certificate: "
		    "subject %s, issuer %s", resp->cert_subject,
		    resp->cert_issuer != NULL ? resp->cert_issuer : "?");
		if (probe_cert_days(resp->cert_expire, &days) == 0)
			probe_append(p, PROBE_TLS, ", %s %ld days", days < 0 ?
			    "expired" : "expires in", days < 0 ? -days : days);
	}
	probe_finish(p);
}
#endif

/*
 * After a verification failure, fetch the certificate once more without
 * verifying it, only to show who issued it and when it expires. 0 if
 * started (the probe finishes from its callback).
 */
static int
probe_tls_peek(struct probe *p)
{
#ifdef HTTP_HAVE_CERTINFO
	struct http_opts	ho;
	struct http_reqspec	rs;
	char			*url;

	memset(&ho, 0, sizeof ho);
	ho.insecure = 1;
	ho.connect_timeout_ms = 5000;
	ho.timeout_ms = 10000;
	ho.max_retries = 0;
	p->peek = http_new(p->loop, &ho);
	xasprintf(&url, "%s/v2/", p->url.origin);
	memset(&rs, 0, sizeof rs);
	rs.url = url;
	rs.retry = 0;
	rs.max_body = 64 * 1024;
	rs.certinfo = 1;
	http_send(p->peek, &rs, &p->owner, probe_tls_peek_done, p);
	free(url);
	return (0);
#else
	return (-1);
#endif
}

/* ---- rung: dns, tcp, tls, v2 ------------------------------------------ */

static int
probe_ip_literal(const char *h)
{
	struct in6_addr	a;

	return (inet_pton(AF_INET, h, &a) == 1 ||
	    inet_pton(AF_INET6, h, &a) == 1);
}

/* A transport failure of GET /v2/: which rung failed and why. */
static void
probe_net_fail(struct probe *p, const struct berr *err,
    const struct http_resp *resp)
{
	const char	*m = err->msg;
	long		 cms = resp != NULL ? (long)(resp->connect_s * 1000) : -1;

	if (err->kind == BERR_TLS) {
		probe_tls_fail(p, err, resp);
		return;
	}
	if (strcasestr(m, "resolve proxy") != NULL) {
		probe_set(p, PROBE_DNS, PROBE_FAIL, -1,
		    "fix or unset https_proxy/HTTPS_PROXY (and no_proxy)",
		    "proxy host not found (%s)", m);
		return;
	}
	if (strcasestr(m, "resolve") != NULL) {
		probe_set(p, PROBE_DNS, PROBE_FAIL, -1,
		    "check the host name; Harbor resolves it with its own DNS",
		    "host name not found (%s)", m);
		return;
	}
	if (p->proxy != NULL && (strcasestr(m, "proxy") != NULL ||
	    strcasestr(m, "CONNECT") != NULL)) {
		probe_set(p, PROBE_DNS, PROBE_SKIP, -1, NULL,
		    "resolved by the proxy");
		probe_set(p, PROBE_TCP, PROBE_FAIL, cms,
		    "check the proxy settings (https_proxy, no_proxy)",
		    "proxy %s failed (%s)", p->proxy, m);
		return;
	}
	if (probe_ip_literal(p->url.host))
		probe_set(p, PROBE_DNS, PROBE_SKIP, -1, NULL,
		    "address literal, no lookup");
	else
		probe_set(p, PROBE_DNS, PROBE_OK, -1, NULL, "%s",
		    resp != NULL && resp->ip != NULL && *resp->ip ? resp->ip :
		    "resolved");
	if (strcasestr(m, "refused") != NULL ||
	    strcasestr(m, "couldn't connect") != NULL ||
	    strcasestr(m, "failed to connect") != NULL) {
		probe_set(p, PROBE_TCP, PROBE_FAIL, cms,
		    "nothing listens there: check the port, the host and "
		    "firewalls", "connection to port %d refused (%s)",
		    p->url.port, m);
		return;
	}
	if (strcasestr(m, "timed out") != NULL && (resp == NULL ||
	    resp->connect_s == 0)) {
		probe_set(p, PROBE_TCP, PROBE_FAIL, cms,
		    "a firewall drops the packets, or a proxy is needed "
		    "(https_proxy)", "connect to port %d timed out (%s)",
		    p->url.port, m);
		return;
	}
	probe_set(p, PROBE_TCP, resp != NULL && resp->connect_s > 0 ?
	    PROBE_OK : PROBE_FAIL, cms, NULL, "%s", m);
	if (resp != NULL && resp->connect_s > 0)
		probe_set(p, strcmp(p->url.scheme, "https") == 0 &&
		    resp->tls_s == 0 ? PROBE_TLS : PROBE_V2, PROBE_FAIL, -1,
		    "the server closed the connection: is this the registry's "
		    "port and scheme?", "%s", m);
}

static void
probe_v2_challenge(struct probe *p, const struct http_resp *resp, long ms)
{
	const char	*scheme = oci_auth_scheme(p->oci);
	struct oci_url	 ru;
	struct berr	 e;

	if (resp->status >= 200 && resp->status < 300) {
		probe_set(p, PROBE_V2, PROBE_OK, ms, NULL,
		    "HTTP %ld: the registry needs no authentication",
		    resp->status);
		return;
	}
	if (resp->status != 401) {
		probe_set(p, PROBE_V2, PROBE_FAIL, ms, resp->status == 404 ?
		    "the endpoint URL must be the registry's root "
		    "(https://cgr.dev, not a path below it)" :
		    "is this an OCI registry?", "GET /v2/: HTTP %ld%s",
		    resp->status, resp->status == 404 ?
		    ": no registry API here" : "");
		return;
	}
	if (scheme == NULL) {
		probe_set(p, PROBE_V2, PROBE_FAIL, ms,
		    "the registry sent no usable WWW-Authenticate challenge",
		    "HTTP 401 without a Bearer or Basic challenge");
		return;
	}
	if (strcmp(scheme, "basic") == 0) {
		probe_set(p, PROBE_V2, PROBE_OK, ms, NULL,
		    "HTTP 401, Basic authentication");
		return;
	}
	if (oci_url_parse(oci_auth_realm(p->oci), &ru, &e) == 0 &&
	    strcmp(ru.host, p->url.host) != 0)
		probe_set(p, PROBE_V2, PROBE_WARN, ms,
		    "berth sends credentials only to a realm on the "
		    "registry's host", "HTTP 401, Bearer realm %s (another "
		    "host) service %s", oci_auth_realm(p->oci),
		    oci_auth_service(p->oci) ? oci_auth_service(p->oci) : "-");
	else
		probe_set(p, PROBE_V2, PROBE_OK, ms, NULL,
		    "HTTP 401, Bearer realm %s service %s",
		    oci_auth_realm(p->oci),
		    oci_auth_service(p->oci) ? oci_auth_service(p->oci) : "-");
	oci_url_clear(&ru);
}

static void
probe_v2_done(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct probe	*p = arg;
	long		 ms = probe_elapsed(p), tcp, tls, dns;

	if (err != NULL) {
		probe_net_fail(p, err, resp);
		probe_skip_from(p, PROBE_DNS, "not reached");
		if (p->res.rungs[PROBE_TLS].status == PROBE_FAIL &&
		    err->kind == BERR_TLS && probe_tls_peek(p) == 0)
			return;
		probe_finish(p);
		return;
	}
	tcp = (long)(resp->connect_s * 1000);
#ifdef HTTP_HAVE_CERTINFO
	if (resp->namelookup_s > 0)
		tcp = (long)((resp->connect_s - resp->namelookup_s) * 1000);
	dns = (long)(resp->namelookup_s * 1000);
#else
	dns = -1;
#endif
	if (probe_ip_literal(p->url.host))
		probe_set(p, PROBE_DNS, PROBE_SKIP, -1, NULL,
		    "address literal, no lookup");
	else
		probe_set(p, PROBE_DNS, PROBE_OK, dns, NULL, "%s",
		    resp->ip != NULL && *resp->ip ? resp->ip : "resolved");
	probe_set(p, PROBE_TCP, PROBE_OK, tcp, NULL, "connected to port %d%s%s",
	    p->url.port, p->proxy ? " via proxy " : "",
	    p->proxy ? p->proxy : "");
	if (strcmp(p->url.scheme, "https") == 0) {
		tls = (long)((resp->tls_s - resp->connect_s) * 1000);
		if (http_opts(p->http)->insecure)
			probe_set(p, PROBE_TLS, PROBE_WARN, tls,
			    "Harbor needs Verify Remote Cert off for this, or "
			    "the CA", "not verified (insecure mode)");
		else
			probe_tls_ok(p, resp, tls);
	} else
		probe_set(p, PROBE_TLS, PROBE_WARN, -1,
		    "use https: credentials travel in clear over http",
		    "plain http, no TLS");
	probe_v2_challenge(p, resp, ms);
	if (p->res.rungs[PROBE_V2].status == PROBE_FAIL) {
		probe_skip_from(p, PROBE_TOKEN, "not reached");
		probe_finish(p);
		return;
	}
	probe_token(p);
}

/* ---- rung: token ------------------------------------------------------- */

static void
probe_token_ping_done(const struct berr *err, long status, void *arg)
{
	struct probe	*p = arg;
	long		 ms = probe_elapsed(p);

	if (err != NULL) {
		if (err->kind == BERR_AUTH)
			probe_set(p, PROBE_TOKEN, PROBE_FAIL, ms,
			    "wrong pull token: check the access id and secret "
			    "(chainctl auth configure-docker --parent ORG "
			    "--pull-token makes a new one)", "%s", err->msg);
		else
			probe_set(p, PROBE_TOKEN, PROBE_FAIL, ms, NULL, "%s",
			    err->msg);
		probe_skip_from(p, PROBE_CATALOG, "not reached");
		probe_finish(p);
		return;
	}
	if (strcmp(oci_auth_scheme(p->oci) ? oci_auth_scheme(p->oci) : "",
	    "bearer") == 0)
		probe_set(p, PROBE_TOKEN, oci_creds_withheld(p->oci) ?
		    PROBE_WARN : PROBE_OK, ms, oci_creds_withheld(p->oci) ?
		    "the token realm is on another host: berth did not send "
		    "the credentials there" : NULL,
		    "token without scope issued%s; GET /v2/ with it: HTTP %ld",
		    oci_creds_withheld(p->oci) ? " anonymously" : "", status);
	else
		probe_set(p, PROBE_TOKEN, PROBE_OK, ms, NULL,
		    "GET /v2/ with the credentials: HTTP %ld", status);
	probe_catalog(p);
}

static void
probe_token(struct probe *p)
{
	const char	*scheme = oci_auth_scheme(p->oci);

	p->t0 = loop_now_ms();
	if (p->password == NULL) {
		p->res.anonymous = 1;
		probe_skip_from(p, PROBE_TOKEN, "no secret given: credentials "
		    "not tested (anonymous probe)");
		probe_finish(p);
		return;
	}
	if (scheme == NULL) {
		probe_set(p, PROBE_TOKEN, PROBE_SKIP, -1, NULL,
		    "the registry asks for no credentials");
		probe_catalog(p);
		return;
	}
	/* As Harbor: a token without scope, then GET /v2/ with it. */
	oci_ping(p->oci, &p->owner, probe_token_ping_done, p);
}

/* ---- rung: catalog ------------------------------------------------------ */

static int
probe_under_org(const char *repo, const char *org)
{
	size_t	n = strlen(org);

	return (strncmp(repo, org, n) == 0 && repo[n] == '/');
}

static void
probe_catalog_done(const struct berr *err, char **v, size_t n, void *arg)
{
	struct probe	*p = arg;
	long		 ms = probe_elapsed(p);
	size_t		 i, norg = 0;
	const char	*first = NULL;

	if (err != NULL) {
		if (err->kind == BERR_AUTH)
			probe_set(p, PROBE_CATALOG, PROBE_WARN, ms,
			    "catalog refused: replication filters like ORG/* "
			    "cannot list repositories; use literal repository "
			    "names in the filter", "the token may not list "
			    "the catalog (%s)", err->msg);
		else
			probe_set(p, PROBE_CATALOG, PROBE_WARN, ms,
			    "ORG/* replication filters need the catalog",
			    "%s", err->msg);
		probe_tags(p, p->repo);
		return;
	}
	for (i = 0; i < n; i++) {
		if (p->org == NULL || probe_under_org(v[i], p->org)) {
			if (first == NULL)
				first = v[i];
			norg++;
		}
	}
	if (p->org != NULL && norg == 0)
		probe_set(p, PROBE_CATALOG, PROBE_WARN, ms,
		    "check the org name, or make the pull token for this org "
		    "(chainctl ... --parent ORG)", "%zu repositories, none "
		    "under %s", n, p->org);
	else if (p->org != NULL)
		probe_set(p, PROBE_CATALOG, PROBE_OK, ms, NULL,
		    "%zu repositories, %zu under %s", n, norg, p->org);
	else
		probe_set(p, PROBE_CATALOG, PROBE_OK, ms, NULL,
		    "%zu repositories", n);
	probe_tags(p, p->repo != NULL ? p->repo : first);
}

static void
probe_catalog(struct probe *p)
{
	p->t0 = loop_now_ms();
	oci_catalog(p->oci, 100, &p->owner, probe_catalog_done, p);
}

/* ---- rung: tags ------------------------------------------------------------ */

static void
probe_tags_done(const struct berr *err, char **v, size_t n, void *arg)
{
	struct probe	*p = arg;
	long		 ms = probe_elapsed(p);

	if (err == NULL) {
		probe_set(p, PROBE_TAGS, PROBE_OK, ms, NULL,
		    "%zu tags in %s%s%s", n, p->repo, n > 0 ? ", e.g. " : "",
		    n > 0 ? v[0] : "");
	} else if (err->kind == BERR_AUTH)
		probe_set(p, PROBE_TAGS, PROBE_FAIL, ms,
		    "the pull token does not cover this org: make it with "
		    "chainctl auth configure-docker --parent ORG --pull-token "
		    "for the org that owns the images",
		    "token without access to %s (%s)", p->repo, err->msg);
	else if (err->status == 404)
		probe_set(p, PROBE_TAGS, PROBE_FAIL, ms,
		    "check the repository name (ORG/IMAGE)",
		    "repository %s not found (%s)", p->repo, err->msg);
	else
		probe_set(p, PROBE_TAGS, PROBE_FAIL, ms, NULL, "%s", err->msg);
	probe_finish(p);
}

static void
probe_tags(struct probe *p, const char *repo)
{
	p->t0 = loop_now_ms();
	if (repo == NULL) {
		probe_set(p, PROBE_TAGS, PROBE_SKIP, -1,
		    "give a repository (--repo ORG/IMAGE) to test a pull",
		    "no repository to read%s%s", p->org ? " under " : "",
		    p->org ? p->org : "");
		probe_finish(p);
		return;
	}
	if (repo != p->repo) {
		free(p->repo);
		p->repo = xstrdup(repo);
	}
	oci_tags(p->oci, p->repo, &p->owner, probe_tags_done, p);
}

/* ---- lifecycle ---------------------------------------------------------- */

static void
probe_deliver(void *arg)
{
	struct probe	*p = arg;

	p->timer = NULL;
	p->cb(&p->res, p->arg);
	probe_cancel(p);
}

static void
probe_finish(struct probe *p)
{
	probe_cb	cb = p->cb;
	void		*arg = p->arg;

	p->done = 1;
	if (p->sync != NULL) {
		*p->sync = probe_result_dup(&p->res);
		return;
	}
	(void)cb;
	(void)arg;
	/* Deliver from a timer: never free the clients inside their
	 * own callbacks. */
	p->timer = loop_timer_add(p->loop, 0, probe_deliver, p);
}

static void
probe_begin(void *arg)
{
	struct probe	*p = arg;

	p->timer = NULL;
	if (p->res.rungs[PROBE_URL].status == PROBE_FAIL) {
		probe_skip_from(p, PROBE_DNS, "not reached");
		probe_finish(p);
		return;
	}
	p->t0 = loop_now_ms();
	oci_v2_anon(p->oci, &p->owner, probe_v2_done, p);
}

/* The url rung, done at once; also makes the clients. */
static void
probe_url(struct probe *p, const struct probe_opts *o)
{
	struct http_opts	ho;
	struct oci_opts		oo;
	struct berr		err;

	if (oci_url_parse(o->url, &p->url, &err) == -1) {
		probe_set(p, PROBE_URL, PROBE_FAIL, 0,
		    "write the endpoint URL with its scheme, e.g. "
		    "https://cgr.dev", "%s", strncmp(err.msg, "url: ", 5) == 0 ?
		    err.msg + 5 : err.msg);
		return;
	}
	p->proxy = probe_proxy_env(&p->url);
	memset(&ho, 0, sizeof ho);
	ho.ca_file = o->ca_file;
	ho.insecure = o->insecure;
	ho.connect_timeout_ms = 5000;
	ho.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 15000;
	ho.max_retries = 0;
	p->http = http_new(p->loop, &ho);
	memset(&oo, 0, sizeof oo);
	oo.url = p->url.origin;
	oo.user = o->user;
	oo.password = o->password;
	oo.realm_allow = o->realm_allow;
	oo.certinfo = 1;
	p->oci = oci_new(p->loop, p->http, &oo, &err);
	if (*p->url.path != '\0' && strcmp(p->url.path, "/v2") != 0 &&
	    strcmp(p->url.path, "/v2/") != 0)
		probe_set(p, PROBE_URL, PROBE_WARN, 0,
		    "a registry serves /v2/ at the root of its host",
		    "%s, host %s, port %d; the path %s is ignored",
		    p->url.scheme, p->url.host, p->url.port, p->url.path);
	else if (strcmp(p->url.scheme, "http") == 0)
		probe_set(p, PROBE_URL, PROBE_WARN, 0,
		    "use https unless the registry has no TLS",
		    "http (no TLS), host %s, port %d", p->url.host,
		    p->url.port);
	else
		probe_set(p, PROBE_URL, PROBE_OK, 0, NULL,
		    "https, host %s, port %d%s%s", p->url.host, p->url.port,
		    p->proxy ? ", proxy " : "", p->proxy ? p->proxy : "");
}

static struct probe *
probe_new(struct loop *loop, const struct probe_opts *o, probe_cb cb,
    void *arg)
{
	struct probe	*p;
	size_t		 i;

	p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->cb = cb;
	p->arg = arg;
	req_owner_init(&p->owner);
	for (i = 0; i < PROBE_NSTEPS; i++) {
		p->res.rungs[i].name = probe_names[i];
		p->res.rungs[i].ms = -1;
	}
	p->res.url = san_str(o->url);
	if (o->user != NULL && *o->user != '\0')
		p->user = xstrdup(o->user);
	if (o->password != NULL && o->password->len > 0)
		p->password = secret_dup(o->password);
	if (o->org != NULL && *o->org != '\0')
		p->org = xstrdup(o->org);
	if (o->repo != NULL && *o->repo != '\0')
		p->repo = xstrdup(o->repo);
	probe_url(p, o);
	return (p);
}

struct probe *
probe_start(struct loop *loop, const struct probe_opts *o, probe_cb cb,
    void *arg)
{
	struct probe	*p;

	p = probe_new(loop, o, cb, arg);
	p->timer = loop_timer_add(loop, 0, probe_begin, p);
	return (p);
}

static void
probe_result_clear(struct probe_result *r)
{
	size_t	i;

	for (i = 0; i < PROBE_NSTEPS; i++) {
		free(r->rungs[i].detail);
		free(r->rungs[i].hint);
	}
	free(r->cause);
	free(r->url);
	memset(r, 0, sizeof *r);
}

void
probe_cancel(struct probe *p)
{
	if (p == NULL)
		return;
	if (p->timer != NULL)
		loop_timer_cancel(p->loop, p->timer);
	req_owner_cancel(&p->owner);
	oci_free(p->oci);
	http_free(p->http);
	http_free(p->peek);
	oci_url_clear(&p->url);
	free(p->user);
	secret_free(p->password);
	free(p->org);
	free(p->repo);
	free(p->proxy);
	probe_result_clear(&p->res);
	free(p);
}

struct probe_result *
probe_run(struct loop *loop, const struct probe_opts *o)
{
	struct probe		*p;
	struct probe_result	*r = NULL;

	p = probe_new(loop, o, NULL, NULL);
	p->sync = &r;
	probe_begin(p);
	while (!p->done && !loop_quitting(loop))
		loop_once(loop, 1000);
	if (r == NULL) {
		probe_skip_from(p, PROBE_URL, "interrupted");
		r = probe_result_dup(&p->res);
	}
	probe_cancel(p);
	return (r);
}

struct probe_result *
probe_result_dup(const struct probe_result *src)
{
	struct probe_result	*r;
	size_t			 i;

	r = xcalloc(1, sizeof *r);
	*r = *src;
	for (i = 0; i < PROBE_NSTEPS; i++) {
		if (src->rungs[i].detail != NULL)
			r->rungs[i].detail = xstrdup(src->rungs[i].detail);
		if (src->rungs[i].hint != NULL)
			r->rungs[i].hint = xstrdup(src->rungs[i].hint);
	}
	r->cause = src->cause != NULL ? xstrdup(src->cause) : NULL;
	r->url = src->url != NULL ? xstrdup(src->url) : NULL;
	return (r);
}

void
probe_result_free(struct probe_result *r)
{
	if (r == NULL)
		return;
	probe_result_clear(r);
	free(r);
}

/* ---- output ------------------------------------------------------------- */

void
probe_print(FILE *f, const struct probe_result *r)
{
	const struct probe_rung	*g;
	static const char *const marks[] = { "skip", "ok", "WARN", "FAIL" };
	char			 ms[32];
	size_t			 i;

	for (i = 0; i < PROBE_NSTEPS; i++) {
		g = &r->rungs[i];
		if (g->ms >= 0)
			snprintf(ms, sizeof ms, "%ld ms", g->ms);
		else
			strlcpy(ms, "", sizeof ms);
		fprintf(f, "  %-4s  %-7s %8s  %s\n", marks[g->status], g->name,
		    ms, g->detail != NULL ? g->detail : "");
		if (g->hint != NULL && g->status != PROBE_OK)
			fprintf(f, "%26shint: %s\n", "", g->hint);
	}
}

/* The first failing rung, or PROBE_NSTEPS. */
static int
probe_first_failed(const struct probe_result *r)
{
	int	i;

	for (i = 0; r != NULL && i < PROBE_NSTEPS; i++) {
		if (r->rungs[i].status == PROBE_FAIL)
			return (i);
	}
	return (PROBE_NSTEPS);
}

const char *
probe_diagnosis(int harbor_ok, int harbor_reached,
    const struct probe_result *local)
{
	int	local_ok = local != NULL && local->failed == 0;

	if (harbor_ok && local_ok)
		return (NULL);
	if (!harbor_ok && !harbor_reached)
		return (local_ok ? "berth could not ask Harbor (see harbor's "
		    "view); the registry is reachable from this host" :
		    "berth could not ask Harbor, and the local ladder fails");
	if (!harbor_ok && local_ok)
		return ("Harbor cannot reach the registry but this host can: "
		    "the problem is between Harbor and the registry (Harbor's "
		    "proxy settings, its DNS, a firewall on Harbor's side, or "
		    "the CA certificate set on the endpoint)");
	if (harbor_ok && probe_first_failed(local) == PROBE_TOKEN)
		return ("Harbor accepts its credentials but the token service "
		    "refuses the ones given here: check the secret (a saved "
		    "endpoint keeps the one it was given)");
	if (harbor_ok && probe_first_failed(local) > PROBE_TOKEN &&
	    probe_first_failed(local) < PROBE_NSTEPS)
		return ("Harbor's ping passes but the pull token cannot read "
		    "the images (see the ladder): the ping only checks the "
		    "login, so pulls and replication through Harbor will fail "
		    "the same way");
	if (harbor_ok)
		return ("Harbor reaches the registry but this host cannot: "
		    "the endpoint is fine for Harbor; the failure is local "
		    "(see the ladder)");
	return ("both sides fail: fix the first failing rung of the ladder");
}

cJSON *
probe_result_json(const struct probe_result *r)
{
	cJSON	*o, *arr, *e;
	size_t	 i;

	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "url", r->url ? r->url : "");
	cJSON_AddBoolToObject(o, "ok", r->failed == 0);
	cJSON_AddBoolToObject(o, "anonymous", r->anonymous);
	cJSON_AddNumberToObject(o, "failed", r->failed);
	cJSON_AddNumberToObject(o, "warnings", r->warned);
	if (r->cause != NULL)
		cJSON_AddStringToObject(o, "cause", r->cause);
	else
		cJSON_AddNullToObject(o, "cause");
	arr = cJSON_AddArrayToObject(o, "rungs");
	for (i = 0; i < PROBE_NSTEPS; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", r->rungs[i].name);
		cJSON_AddStringToObject(e, "status",
		    probe_status_name(r->rungs[i].status));
		if (r->rungs[i].ms >= 0)
			cJSON_AddNumberToObject(e, "ms", r->rungs[i].ms);
		else
			cJSON_AddNullToObject(e, "ms");
		cJSON_AddStringToObject(e, "detail", r->rungs[i].detail ?
		    r->rungs[i].detail : "");
		if (r->rungs[i].hint != NULL)
			cJSON_AddStringToObject(e, "hint", r->rungs[i].hint);
		else
			cJSON_AddNullToObject(e, "hint");
		cJSON_AddItemToArray(arr, e);
	}
	return (o);
}
