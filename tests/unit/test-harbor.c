/*
 * test-harbor.c: the Harbor client against tests/unit/fakeharbor.py (a
 * loopback fake), and the mappers on their own: error bodies, pagination
 * (X-Total-Count concurrent pages, Link), limits, find by name, bodies
 * sent (secrets escaped, update sends only given fields), double
 * encoding, 401, mapping of every model with missing/mistyped fields,
 * counts (page_size=1 and X-Total-Count, or the whole list without it).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/model.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#ifndef ABS_TOP_SRCDIR
#define ABS_TOP_SRCDIR "."
#endif

struct fake {
	pid_t		 pid;
	int		 port;
	char		 url[64];
	struct loop	*loop;
	struct http	*http;
	struct harbor	*h;
	struct secret	*pw;
};

static struct fake	F;

/* fork+exec fakeharbor.py; its first stdout line is the port. */
static int
fake_start(void **state)
{
	const char	*top = getenv("top_srcdir"), *errstr;
	struct pollfd	 pf;
	struct http_opts ho;
	char		*script, line[32];
	int		 pfd[2], n = 0;
	ssize_t		 r;

	memset(&F, 0, sizeof F);
	xasprintf(&script, "%s/tests/unit/fakeharbor.py",
	    top != NULL && *top != '\0' ? top : ABS_TOP_SRCDIR);
	if (pipe(pfd) == -1)
		return (-1);
	if ((F.pid = fork()) == -1)
		return (-1);
	if (F.pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execl("/usr/bin/python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	free(script);
	close(pfd[1]);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	memset(line, 0, sizeof line);
	while ((size_t)n < sizeof line - 1 && memchr(line, '\n', n) == NULL) {
		if (poll(&pf, 1, 30000) != 1)
			return (-1);
		if ((r = read(pfd[0], line + n, sizeof line - 1 - n)) <= 0)
			return (-1);
		n += (int)r;
	}
	close(pfd[0]);
	line[strcspn(line, "\n")] = '\0';
	F.port = (int)strtonum(line, 1, 65535, &errstr);
	if (errstr != NULL)
		return (-1);
	snprintf(F.url, sizeof F.url, "http://127.0.0.1:%d/", F.port);
	F.loop = loop_new();
	memset(&ho, 0, sizeof ho);
	ho.max_retries = 0;
	F.http = http_new(F.loop, &ho);
	F.pw = secret_new("s3cret", 6);
	F.h = harbor_new(F.loop, F.http, F.url, "admin", F.pw);
	return (0);
}

static int
fake_stop(void **state)
{
	http_free(F.http);
	harbor_free(F.h);
	loop_free(F.loop);
	secret_free(F.pw);
	if (F.pid > 0) {
		kill(F.pid, SIGTERM);
		waitpid(F.pid, NULL, 0);
	}
	return (0);
}

/* GET a /_ control path of the fake with a bare client call. */
struct ctl_result {
	int	 done;
	char	*body;
};

static void
ctl_cb(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct ctl_result	*r = arg;

	r->done = 1;
	if (err == NULL && resp->status == 200) {
		r->body = resp->body;
		resp->body = NULL;
	}
}

static cJSON *
fake_ctl(const char *path)
{
	struct http_reqspec	 spec;
	struct req_owner	 o;
	struct ctl_result	 r;
	cJSON			*j;
	char			*url;

	memset(&r, 0, sizeof r);
	memset(&spec, 0, sizeof spec);
	xasprintf(&url, "http://127.0.0.1:%d%s", F.port, path);
	spec.url = url;
	spec.retry = 0;
	req_owner_init(&o);
	http_send(F.http, &spec, &o, ctl_cb, &r);
	assert_int_equal(http_wait(F.loop, &o), 0);
	free(url);
	assert_non_null(r.body);
	j = cJSON_Parse(r.body);
	free(r.body);
	assert_non_null(j);
	return (j);
}

static int
fake_count(const char *path)
{
	cJSON		*j;
	const cJSON	*n;
	int		 v;

	j = fake_ctl("/_count");
	n = cJSON_GetObjectItemCaseSensitive(j, path);
	v = cJSON_IsNumber(n) ? n->valueint : 0;
	cJSON_Delete(j);
	return (v);
}

/* The body of the last request the fake saw, parsed. */
static cJSON *
fake_last_body(char **method, char **path)
{
	cJSON		*j, *b;
	const cJSON	*s;

	j = fake_ctl("/_last");
	s = cJSON_GetObjectItemCaseSensitive(j, "method");
	*method = xstrdup(cJSON_IsString(s) ? s->valuestring : "");
	s = cJSON_GetObjectItemCaseSensitive(j, "path");
	*path = xstrdup(cJSON_IsString(s) ? s->valuestring : "");
	s = cJSON_GetObjectItemCaseSensitive(j, "body");
	b = cJSON_IsString(s) ? cJSON_Parse(s->valuestring) : NULL;
	cJSON_Delete(j);
	return (b);
}

/* --- error bodies ----------------------------------------------------- */

static void
test_error_decode(void **state)
{
	static const struct {
		long		 status;
		const char	*body;
		enum berr_kind	 kind;
		const char	*want;
	} cases[] = {
		{ 409, "{\"errors\":[{\"code\":\"CONFLICT\",\"message\":"
		  "\"registry \\\"x\\\" already exists\"}]}", BERR_HTTP,
		  "harbor: 409 conflict: registry \"x\" already exists" },
		{ 400, "{\"errors\":[{\"code\":\"A\",\"message\":\"one\"},"
		  "{\"code\":\"B\",\"message\":\"two\"}]}", BERR_HTTP,
		  "harbor: 400 bad request: one; two" },
		{ 403, "{\"errors\":[{\"code\":\"FORBIDDEN\"}]}", BERR_HTTP,
		  "harbor: 403 forbidden: FORBIDDEN" },
		{ 404, "", BERR_HTTP, "harbor: 404 not found" },
		{ 404, NULL, BERR_HTTP, "harbor: 404 not found" },
		{ 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
		  "\"unauthorized\"}]}", BERR_AUTH,
		  "harbor: 401 unauthorized: unauthorized" },
		{ 502, "upstream exploded\nsecond", BERR_HTTP,
		  "harbor: 502 bad gateway: upstream exploded" },
		{ 500, "<html><body>x</body></html>", BERR_HTTP,
		  "harbor: 500 internal server error" },
		{ 500, "{\"message\":\"not harbor's shape\"}", BERR_HTTP,
		  "harbor: 500 internal server error" },
		{ 412, "{\"errors\":[]}", BERR_HTTP,
		  "harbor: 412 precondition failed" },
		{ 418, "{\"errors\":[{\"message\":\"a\\u001b[31mred\"}]}",
		  BERR_HTTP, "harbor: 418 client error: a\\033[31mred" },
	};
	struct berr	err;
	size_t		i;

	for (i = 0; i < nitems(cases); i++) {
		berr_clear(&err);
		assert_int_equal(harbor_error(cases[i].status, cases[i].body,
		    cases[i].body != NULL ? strlen(cases[i].body) : 0, &err),
		    -1);
		assert_int_equal(err.kind, cases[i].kind);
		assert_int_equal(err.status, cases[i].status);
		assert_string_equal(err.msg, cases[i].want);
	}
}

static void
test_error_live(void **state)
{
	struct registry	*r = NULL;
	struct berr	 err;

	assert_int_equal(harbor_registry_get_sync(F.h, 901, &r, &err), -1);
	assert_null(r);
	assert_int_equal(err.kind, BERR_HTTP);
	assert_int_equal(err.status, 409);
	assert_string_equal(err.msg,
	    "harbor: 409 conflict: registry \"x\" already exists");
	assert_int_equal(berr_exit_code(&err), 1);

	assert_int_equal(harbor_registry_get_sync(F.h, 902, &r, &err), -1);
	assert_string_equal(err.msg,
	    "harbor: 400 bad request: url is required; name is required");
	assert_int_equal(harbor_registry_get_sync(F.h, 903, &r, &err), -1);
	assert_string_equal(err.msg, "harbor: 404 not found");
	assert_int_equal(harbor_registry_get_sync(F.h, 904, &r, &err), -1);
	assert_string_equal(err.msg,
	    "harbor: 502 bad gateway: upstream exploded");
	assert_int_equal(harbor_registry_get_sync(F.h, 905, &r, &err), -1);
	assert_string_equal(err.msg, "harbor: 500 internal server error");
}

static void
test_auth_401(void **state)
{
	struct harbor	*bad;
	struct secret	*pw;
	struct user	*u = NULL;
	struct berr	 err;

	pw = secret_new("wrong", 5);
	bad = harbor_new(F.loop, F.http, F.url, "admin", pw);
	secret_free(pw);
	assert_int_equal(harbor_current_user_sync(bad, &u, &err), -1);
	assert_null(u);
	assert_int_equal(err.kind, BERR_AUTH);
	assert_int_equal(err.status, 401);
	assert_int_equal(berr_exit_code(&err), 3);
	assert_string_equal(err.msg, "harbor: 401 unauthorized: unauthorized");
	harbor_free(bad);

	/* The right password, and no cookie ever sent back (403 if so). */
	assert_int_equal(harbor_current_user_sync(F.h, &u, &err), 0);
	assert_string_equal(u->username, "admin");
	assert_int_equal(u->sysadmin, 1);
	user_free(u);
	assert_int_equal(harbor_current_user_sync(F.h, &u, &err), 0);
	user_free(u);
}

static void
test_system(void **state)
{
	struct systeminfo	*si;
	struct health		*he;
	struct berr		 err;

	assert_int_equal(harbor_ping_sync(F.h, &err), 0);
	assert_int_equal(harbor_systeminfo_sync(F.h, &si, &err), 0);
	assert_string_equal(si->harbor_version, "v2.11.0-fake");
	assert_string_equal(si->auth_mode, "db_auth");
	assert_int_equal(si->current_time, 1714564800);
	systeminfo_free(si);
	assert_int_equal(harbor_health_sync(F.h, &he, &err), 0);
	assert_string_equal(he->status, "unhealthy");
	assert_int_equal(he->ncomponents, 2);
	assert_string_equal(he->components[1].name, "redis");
	assert_string_equal(he->components[1].error, "dial tcp: i/o timeout");
	assert_null(he->components[0].error);
	health_free(he);
}

/* --- pagination ------------------------------------------------------- */

static void
test_pages_total(void **state)
{
	struct registry_list	*l;
	struct berr		 err;
	char			 name[32];
	size_t			 i;
	int			 before;

	before = fake_count("/api/v2.0/registries");
	/* Page 2 is answered only once page 3 has arrived: concurrent. */
	assert_int_equal(harbor_registries_list_sync(F.h, NULL, &l, &err), 0);
	assert_int_equal(fake_count("/api/v2.0/registries") - before, 3);
	assert_int_equal(l->n, 250);
	for (i = 0; i < l->n; i++) {
		assert_int_equal(l->items[i].id, (int64_t)i + 1);
		snprintf(name, sizeof name, "r%03zu", i + 1);
		assert_string_equal(l->items[i].name, name);
	}
	assert_string_equal(l->items[0].access_key, "k1");
	assert_int_equal(l->items[0].has_secret, 1);
	assert_string_equal(l->items[0].cred_type, "basic");
	registry_list_free(l);
}

static void
test_pages_link(void **state)
{
	struct project_list	*l;
	struct berr		 err;
	char			 name[32];
	size_t			 i;
	int			 before;

	before = fake_count("/api/v2.0/projects");
	assert_int_equal(harbor_projects_list_sync(F.h, NULL, &l, &err), 0);
	assert_int_equal(fake_count("/api/v2.0/projects") - before, 3);
	assert_int_equal(l->n, 250);
	for (i = 0; i < l->n; i++) {
		assert_int_equal(l->items[i].id, (int64_t)i + 1);
		snprintf(name, sizeof name, "p%03zu", i + 1);
		assert_string_equal(l->items[i].name, name);
		assert_int_equal(l->items[i].public, (i + 1) % 2);
	}
	project_list_free(l);
}

static void
test_pages_limit_and_failure(void **state)
{
	struct harbor_query	 q;
	struct execution_list	*l = NULL;
	struct berr		 err;
	int			 before;

	memset(&q, 0, sizeof q);
	q.limit = 150;
	before = fake_count("/api/v2.0/replication/executions");
	assert_int_equal(harbor_executions_list_sync(F.h, &q, &l, &err), 0);
	assert_int_equal(fake_count("/api/v2.0/replication/executions") -
	    before, 2);
	assert_int_equal(l->n, 150);
	assert_int_equal(l->items[149].id, 150);
	assert_int_equal(l->items[0].succeed, 4);
	execution_list_free(l);

	memset(&q, 0, sizeof q);
	q.status = "fail500";
	l = NULL;
	assert_int_equal(harbor_executions_list_sync(F.h, &q, &l, &err), -1);
	assert_null(l);
	assert_int_equal(err.status, 500);
	assert_string_equal(err.msg, "harbor: 500 internal server error: boom");
}

/* A hostile server: no huge allocation, no flood of requests. */
static void
test_pages_hostile(void **state)
{
	struct harbor_query	 q;
	struct execution_list	*l = NULL;
	struct berr		 err;
	int			 before;

	memset(&q, 0, sizeof q);
	q.status = "hugetotal";
	before = fake_count("/api/v2.0/replication/executions");
	assert_int_equal(harbor_executions_list_sync(F.h, &q, &l, &err), -1);
	assert_null(l);
	assert_int_equal(fake_count("/api/v2.0/replication/executions") -
	    before, 1);
	assert_string_equal(err.msg, "harbor: X-Total-Count too large");

	q.status = "oversize";
	before = fake_count("/api/v2.0/replication/executions");
	assert_int_equal(harbor_executions_list_sync(F.h, &q, &l, &err), -1);
	assert_null(l);
	assert_int_equal(fake_count("/api/v2.0/replication/executions") -
	    before, 1);
	assert_string_equal(err.msg,
	    "harbor: a page of 150 items (asked for at most 100)");
}

static void
test_find(void **state)
{
	struct registry	*r = NULL;
	struct policy	*p = NULL;
	struct berr	 err;

	assert_int_equal(harbor_registry_find_sync(F.h, "r007", &r, &err), 0);
	assert_int_equal(r->id, 7);
	assert_string_equal(r->name, "r007");
	registry_free(r);
	r = NULL;
	assert_int_equal(harbor_registry_find_sync(F.h, "nope", &r, &err), -1);
	assert_null(r);
	assert_int_equal(err.status, 404);
	assert_string_equal(err.msg, "registry \"nope\" not found");

	assert_int_equal(harbor_policy_find_sync(F.h, "push", &p, &err), 0);
	assert_int_equal(p->id, 2);
	assert_int_equal(p->enabled, 0);
	assert_null(p->trigger_cron);
	assert_int_equal(p->dest_registry_id, 6);
	policy_free(p);
}

/* --- requests sent ---------------------------------------------------- */

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

static void
test_create_update(void **state)
{
	struct registry_req	 rq;
	struct secret		*sec;
	struct berr		 err;
	cJSON			*b, *cred;
	char			*method, *path;
	int64_t			 id = 0;
	static const char	 tricky[] = "p\"a\\s\001s";

	sec = secret_new(tricky, sizeof tricky - 1);
	registry_req_init(&rq);
	rq.name = "cgr";
	rq.url = "https://cgr.dev";
	rq.type = "docker-registry";
	rq.access_key = "org/puller";
	rq.access_secret = sec;
	rq.insecure = 0;
	assert_int_equal(harbor_registry_create_sync(F.h, &rq, &id, &err), 0);
	assert_int_equal(id, 42);
	b = fake_last_body(&method, &path);
	assert_string_equal(method, "POST");
	assert_string_equal(path, "/api/v2.0/registries");
	assert_non_null(b);
	assert_string_equal(jstr(b, "name"), "cgr");
	assert_string_equal(jstr(b, "type"), "docker-registry");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(b, "insecure")));
	cred = cJSON_GetObjectItemCaseSensitive(b, "credential");
	assert_non_null(cred);
	assert_string_equal(jstr(cred, "type"), "basic");
	assert_string_equal(jstr(cred, "access_key"), "org/puller");
	assert_string_equal(jstr(cred, "access_secret"), tricky);
	cJSON_Delete(b);
	free(method);
	free(path);

	/* Update: only what is given. */
	registry_req_init(&rq);
	rq.description = "new";
	assert_int_equal(harbor_registry_update_sync(F.h, 7, &rq, &err), 0);
	b = fake_last_body(&method, &path);
	assert_string_equal(method, "PUT");
	assert_string_equal(path, "/api/v2.0/registries/7");
	assert_int_equal(cJSON_GetArraySize(b), 1);
	assert_string_equal(jstr(b, "description"), "new");
	cJSON_Delete(b);
	free(method);
	free(path);
	secret_free(sec);
}

static void
test_bodies(void **state)
{
	struct registry_req	 rq;
	struct project_req	 pr;
	struct policy		 p;
	struct policy_filter	*f;
	cJSON			*b, *a;
	char			*s;
	size_t			 len;

	registry_req_init(&rq);
	rq.url = "https://x";
	rq.access_key = "k";
	s = harbor_map_registry_body('p', 5, &rq, &len);
	assert_int_equal(strlen(s), len);
	b = cJSON_Parse(s);
	assert_int_equal(cJSON_GetObjectItem(b, "id")->valueint, 5);
	assert_string_equal(jstr(b, "credential_type"), "basic");
	assert_null(cJSON_GetObjectItem(b, "access_secret"));
	assert_null(cJSON_GetObjectItem(b, "insecure"));
	cJSON_Delete(b);
	freezero(s, len + 1);

	memset(&pr, 0, sizeof pr);
	pr.name = "proxy";
	pr.public = 1;
	pr.registry_id = 3;
	s = harbor_map_project_body(&pr, &len);
	b = cJSON_Parse(s);
	assert_string_equal(jstr(b, "project_name"), "proxy");
	assert_string_equal(jstr(cJSON_GetObjectItem(b, "metadata"), "public"),
	    "true");
	assert_int_equal(cJSON_GetObjectItem(b, "registry_id")->valueint, 3);
	cJSON_Delete(b);
	free(s);

	policy_init(&p);
	p.name = xstrdup("m");
	p.src_registry_id = 5;
	p.trigger_type = xstrdup("scheduled");
	p.trigger_cron = xstrdup("0 0 * * * *");
	p.filters = f = xcalloc(2, sizeof *f);
	p.nfilters = 2;
	f[0].type = xstrdup("name");
	f[0].value = xstrdup("org/**");
	f[1].type = xstrdup("label");
	f[1].value = xstrdup("a,b");
	f[1].decoration = xstrdup("matches");
	s = harbor_map_policy_body(&p, &len);
	b = cJSON_Parse(s);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(b,
	    "src_registry"), "id")->valueint, 5);
	assert_null(cJSON_GetObjectItem(b, "dest_registry"));
	assert_null(cJSON_GetObjectItem(b, "id"));
	a = cJSON_GetObjectItem(b, "filters");
	assert_int_equal(cJSON_GetArraySize(a), 2);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 1),
	    "value")));
	assert_string_equal(jstr(cJSON_GetObjectItem(b, "trigger"), "type"),
	    "scheduled");
	cJSON_Delete(b);
	free(s);
	policy_clear(&p);
}

/* --- helpers ---------------------------------------------------------- */

static void
test_helpers(void **state)
{
	char	*s, *big;
	size_t	 i;

	s = harbor_repo_escape("a/b");
	assert_string_equal(s, "a%252Fb");
	free(s);
	s = harbor_repo_escape("library/nginx/x");
	assert_string_equal(s, "library%252Fnginx%252Fx");
	free(s);
	s = harbor_repo_escape("plain");
	assert_string_equal(s, "plain");
	free(s);

	assert_int_equal(harbor_location_id("/api/v2.0/registries/42"), 42);
	assert_int_equal(harbor_location_id(
	    "https://h/api/v2.0/replication/executions/7?x=1"), 7);
	assert_int_equal(harbor_location_id("/api/v2.0/registries/"), -1);
	assert_int_equal(harbor_location_id("/x/abc"), -1);
	assert_int_equal(harbor_location_id(NULL), -1);

	s = harbor_link_next("</api/v2.0/p?page=1>; rel=\"prev\" , "
	    "</api/v2.0/p?page=3&page_size=100>; rel=\"next\"");
	assert_string_equal(s, "/api/v2.0/p?page=3&page_size=100");
	free(s);
	assert_null(harbor_link_next("</a>; rel=\"prev\""));
	assert_null(harbor_link_next("garbage"));
	assert_null(harbor_link_next(NULL));
	/* bounded: a huge header is refused, whatever it ends with */
	big = xcalloc(1, 256 * 1024 + 64);
	for (i = 0; i < 256 * 1024; i += 4)
		memcpy(big + i, "<a>,", 4);
	strlcat(big, "</n>; rel=\"next\"", 256 * 1024 + 64);
	assert_null(harbor_link_next(big));
	free(big);
}

/* --- mapping ---------------------------------------------------------- */

typedef int (*mapper)(const char *, size_t, void **, struct berr *);

#define MAPPER(name, type, freefn)					\
static int								\
m_##name(const char *b, size_t l, void **out, struct berr *e)		\
{									\
	type	*r = NULL;						\
	int	 rv;							\
									\
	rv = harbor_map_##name(b, l, &r, e);				\
	if (rv == 0)							\
		freefn(r);						\
	*out = NULL;							\
	return (rv);							\
}
MAPPER(systeminfo, struct systeminfo, systeminfo_free)
MAPPER(health, struct health, health_free)
MAPPER(user, struct user, user_free)
MAPPER(registry, struct registry, registry_free)
MAPPER(registries, struct registry_list, registry_list_free)
MAPPER(registry_info, struct registry_info, registry_info_free)
MAPPER(strlist, struct strlist, strlist_free)
MAPPER(adapter_infos, struct adapter_info_list, adapter_info_list_free)
MAPPER(project, struct project, project_free)
MAPPER(projects, struct project_list, project_list_free)
MAPPER(project_summary, struct project_summary, project_summary_free)
MAPPER(policy, struct policy, policy_free)
MAPPER(policies, struct policy_list, policy_list_free)
MAPPER(execution, struct execution, execution_free)
MAPPER(executions, struct execution_list, execution_list_free)
MAPPER(tasks, struct task_list, task_list_free)

static void
test_map_table(void **state)
{
	static const struct {
		mapper		 fn;
		const char	*json;
		const char	*err;	/* NULL: must map */
	} cases[] = {
		{ m_systeminfo, "{\"harbor_version\":\"v2\",\"x\":[1]}", NULL },
		{ m_systeminfo, "{}", NULL },
		{ m_systeminfo, "{\"read_only\":\"no\"}", "systeminfo: "
		  "field \"read_only\": expected boolean, got string" },
		{ m_systeminfo, "[]", "systeminfo: expected object, got array" },
		{ m_health, "{\"status\":\"healthy\"}", NULL },
		{ m_health, "{\"components\":[]}", "health: field \"status\"" },
		{ m_health, "{\"status\":\"h\",\"components\":[{\"name\":1}]}",
		  "health: component 0: field \"name\": expected string, "
		  "got number" },
		{ m_user, "{\"username\":\"u\",\"sysadmin_flag\":false}", NULL },
		{ m_user, "{\"username\":\"u\",\"user_id\":1.5}",
		  "user: field \"user_id\"" },
		{ m_user, "{\"user_id\":3}", "user: field \"username\"" },
		{ m_registry, "{\"id\":1,\"name\":\"n\",\"credential\":null}",
		  NULL },
		{ m_registry, "{\"id\":1,\"name\":\"n\",\"credential\":\"x\"}",
		  "registry: field \"credential\"" },
		{ m_registry, "{\"name\":\"n\"}", "registry: field \"id\"" },
		{ m_registries, "[{\"id\":1,\"name\":\"a\"},{\"id\":2}]",
		  "registry 1: field \"name\"" },
		{ m_registries, "{}", "expected array, got object" },
		{ m_registries, "[]", NULL },
		{ m_registries, "[1]", "registry 0: expected object, got number" },
		{ m_registry_info, "{\"type\":\"t\",\"supported_resource_"
		  "filters\":[{\"type\":\"name\",\"style\":\"input\"}],"
		  "\"supported_triggers\":[\"manual\"]}", NULL },
		{ m_registry_info, "{\"supported_triggers\":[1]}",
		  "registry info: field \"supported_triggers\": expected "
		  "string" },
		{ m_strlist, "[\"docker-registry\",\"harbor\"]", NULL },
		{ m_strlist, "[\"a\",{}]", "field" },
		{ m_strlist, "{}", "expected array" },
		{ m_adapter_infos, "{\"harbor\":{\"endpoint_pattern\":{"
		  "\"endpoint_type\":\"EndpointPatternTypeStandard\"}},"
		  "\"docker-hub\":{\"endpoint_pattern\":{\"endpoints\":[{\"key\":"
		  "\"hub\",\"value\":\"https://hub.docker.com\"}]}}}", NULL },
		{ m_adapter_infos, "{\"x\":[]}", "adapter 0: expected object" },
		{ m_project, "{\"project_id\":1,\"name\":\"p\",\"metadata\":"
		  "{\"public\":\"true\"}}", NULL },
		{ m_project, "{\"project_id\":1,\"name\":\"p\",\"metadata\":"
		  "{\"public\":true}}", "project: field \"metadata\": field "
		  "\"public\": expected string, got boolean" },
		{ m_projects, "[{\"project_id\":\"1\",\"name\":\"p\"}]",
		  "project 0: field \"project_id\": expected number, got "
		  "string" },
		{ m_project_summary, "{\"repo_count\":3,\"quota\":{\"hard\":"
		  "{\"storage\":-1},\"used\":{\"storage\":100}},\"registry\":"
		  "{\"id\":2,\"name\":\"cgr\"}}", NULL },
		{ m_project_summary, "{\"registry\":{\"id\":2}}",
		  "project summary: field \"registry\": field \"name\"" },
		{ m_policy, "{\"id\":1,\"name\":\"p\",\"filters\":[{\"type\":"
		  "\"label\",\"value\":[\"a\"]}]}", NULL },
		{ m_policy, "{\"id\":1,\"name\":\"p\",\"filters\":[{\"type\":"
		  "\"name\",\"value\":5}]}", "policy: filter 0: field "
		  "\"value\": expected string or array, got number" },
		{ m_policy, "{\"id\":1,\"name\":\"p\",\"trigger\":{\"type\":1}}",
		  "policy: field \"trigger\"" },
		{ m_policies, "[{\"id\":1,\"name\":\"p\",\"src_registry\":7}]",
		  "policy 0: field \"src_registry\"" },
		{ m_execution, "{\"id\":9,\"status\":\"InProgress\","
		  "\"end_time\":\"0001-01-01T00:00:00Z\"}", NULL },
		{ m_execution, "{\"id\":9,\"total\":\"4\"}",
		  "execution: field \"total\"" },
		{ m_executions, "[{\"id\":9,\"start_time\":\"yesterday\"}]",
		  "execution 0: field \"start_time\"" },
		{ m_tasks, "[{\"id\":1,\"src_resource\":\"a\"},{\"id\":2}]",
		  NULL },
		{ m_tasks, "[{\"id\":true}]", "task 0: field \"id\"" },
		{ m_tasks, "[{\"id\":1}", "invalid json" },
		{ m_tasks, "", "empty json body" },
	};
	struct berr	 err;
	void		*out;
	size_t		 i;
	int		 rv;

	for (i = 0; i < nitems(cases); i++) {
		berr_clear(&err);
		rv = cases[i].fn(cases[i].json, strlen(cases[i].json), &out,
		    &err);
		if (cases[i].err == NULL) {
			if (rv != 0)
				fail_msg("case %zu: %s", i, err.msg);
			continue;
		}
		if (rv != -1)
			fail_msg("case %zu mapped, want error", i);
		assert_int_equal(err.kind, BERR_JSON);
		if (strstr(err.msg, cases[i].err) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    err.msg, cases[i].err);
	}
}

static void
test_map_values(void **state)
{
	struct policy_list	*pl;
	struct project_summary	*ps;
	struct adapter_info_list *ai;
	struct execution	*e;
	struct berr		 err;
	const char		*j;

	assert_int_equal(harbor_policies_list_sync(F.h, NULL, &pl, &err), 0);
	assert_int_equal(pl->n, 2);
	assert_string_equal(pl->items[0].name, "mirror");
	assert_int_equal(pl->items[0].src_registry_id, 5);
	assert_string_equal(pl->items[0].src_registry_name, "cgr");
	assert_int_equal(pl->items[0].dest_registry_id, 0);
	assert_string_equal(pl->items[0].trigger_type, "scheduled");
	assert_string_equal(pl->items[0].trigger_cron, "0 0 * * * *");
	assert_int_equal(pl->items[0].nfilters, 2);
	assert_string_equal(pl->items[0].filters[1].value, "a,b");
	assert_string_equal(pl->items[0].filters[1].decoration, "matches");
	assert_int_equal(pl->items[0].dest_namespace_replace_count, 1);
	assert_int_equal(pl->items[1].dest_namespace_replace_count, -1);
	assert_int_equal(pl->items[1].speed, -1);
	policy_list_free(pl);

	j = "{\"quota\":{\"hard\":{\"storage\":-1},\"used\":{\"storage\":"
	    "1024}},\"registry\":{\"id\":2,\"name\":\"cgr\"}}";
	assert_int_equal(harbor_map_project_summary(j, strlen(j), &ps, &err),
	    0);
	assert_int_equal(ps->quota_storage_hard, -1);
	assert_int_equal(ps->quota_storage_used, 1024);
	assert_string_equal(ps->registry->name, "cgr");
	project_summary_free(ps);

	j = "{\"z\":{},\"a\":{\"credential_pattern\":{\"access_key_type\":"
	    "\"FIX\"}}}";
	assert_int_equal(harbor_map_adapter_infos(j, strlen(j), &ai, &err), 0);
	assert_int_equal(ai->n, 2);
	assert_string_equal(ai->items[0].type, "a");
	assert_string_equal(ai->items[0].access_key_type, "FIX");
	adapter_info_list_free(ai);

	j = "{\"id\":3,\"end_time\":\"0001-01-01T00:00:00Z\",\"status\":"
	    "\"InProgress\"}";
	assert_int_equal(harbor_map_execution(j, strlen(j), &e, &err), 0);
	assert_int_equal(e->end_time, 0);
	assert_false(model_status_final(e->status));
	execution_free(e);
	assert_true(model_status_final("Succeed"));

	/* Mistyped and truncated over the wire. */
	{
		struct registry	*r = NULL;

		assert_int_equal(harbor_registry_get_sync(F.h, 910, &r, &err),
		    -1);
		assert_int_equal(err.kind, BERR_JSON);
		assert_string_equal(err.msg, "registry: field \"id\": expected "
		    "number, got string");
		assert_int_equal(harbor_registry_get_sync(F.h, 911, &r, &err),
		    -1);
		assert_int_equal(err.kind, BERR_JSON);
		assert_int_equal(harbor_registry_get_sync(F.h, 912, &r, &err),
		    -1);
		assert_int_equal(err.kind, BERR_JSON);
		assert_null(r);
	}
}

/* --- counts: one request with page_size=1, X-Total-Count ------------ */

struct count_result {
	int		 calls;
	int		 failed;
	int64_t		 n;
};

static void
count_cb(const struct berr *err, int64_t n, void *arg)
{
	struct count_result	*r = arg;

	r->calls++;
	r->failed = err != NULL;
	r->n = n;
}

static void
test_counts(void **state)
{
	struct harbor_query	 q;
	struct count_result	 r;
	struct req_owner	 o;
	struct harbor		*bad;
	struct secret		*pw;
	struct berr		 err;
	cJSON			*b;
	char			*method, *path;
	int64_t			 n = -1;
	int			 before;

	/* X-Total-Count: 250 registries in one request, not three pages. */
	before = fake_count("/api/v2.0/registries");
	assert_int_equal(harbor_registries_count_sync(F.h, NULL, &n, &err), 0);
	assert_int_equal(n, 250);
	assert_int_equal(fake_count("/api/v2.0/registries") - before, 1);
	b = fake_last_body(&method, &path);
	assert_string_equal(method, "GET");
	assert_string_equal(path, "/api/v2.0/registries?page=1&page_size=1");
	cJSON_Delete(b);
	free(method);
	free(path);

	/* Filters apply (and go before the page parameters). */
	memset(&q, 0, sizeof q);
	q.q = "name=r007";
	assert_int_equal(harbor_registries_count_sync(F.h, &q, &n, &err), 0);
	assert_int_equal(n, 1);
	b = fake_last_body(&method, &path);
	assert_string_equal(path,
	    "/api/v2.0/registries?q=name%3Dr007&page=1&page_size=1");
	cJSON_Delete(b);
	free(method);
	free(path);

	/* The async form calls back once. */
	memset(&r, 0, sizeof r);
	req_owner_init(&o);
	harbor_policies_count(F.h, NULL, &o, count_cb, &r);
	assert_int_equal(http_wait(F.loop, &o), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.n, 2);

	/* No X-Total-Count (projects): the list is fetched and counted. */
	before = fake_count("/api/v2.0/projects");
	memset(&r, 0, sizeof r);
	harbor_projects_count(F.h, NULL, &o, count_cb, &r);
	assert_int_equal(http_wait(F.loop, &o), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.n, 250);
	assert_int_equal(fake_count("/api/v2.0/projects") - before, 1 + 3);
	assert_int_equal(harbor_projects_count_sync(F.h, NULL, &n, &err), 0);
	assert_int_equal(n, 250);

	/* Errors: -1, err set, count 0. */
	pw = secret_new("wrong", 5);
	bad = harbor_new(F.loop, F.http, F.url, "admin", pw);
	secret_free(pw);
	n = -1;
	assert_int_equal(harbor_projects_count_sync(bad, NULL, &n, &err), -1);
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, BERR_AUTH);
	memset(&r, 0, sizeof r);
	harbor_registries_count(bad, NULL, &o, count_cb, &r);
	assert_int_equal(http_wait(F.loop, &o), 0);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.n, 0);

	/* Cancelled: no callback. */
	memset(&r, 0, sizeof r);
	harbor_registries_count(F.h, NULL, &o, count_cb, &r);
	harbor_projects_count(F.h, NULL, &o, count_cb, &r);
	harbor_cancel(F.h, &o);
	loop_once(F.loop, 50);
	assert_int_equal(r.calls, 0);
	harbor_free(bad);
}

/*
 * loop_interrupt() (the console's Esc during a ':' command): a sync call
 * gives up with BERR_CANCELLED, its requests cancelled; once cleared,
 * calls work again.
 */
static void
test_interrupt(void **state)
{
	struct registry_list	*l = NULL;
	struct berr		 err;
	int64_t			 n = -1;

	loop_interrupt(F.loop);
	assert_true(loop_quitting(F.loop));
	assert_int_equal(harbor_registries_list_sync(F.h, NULL, &l, &err), -1);
	assert_null(l);
	assert_int_equal(err.kind, BERR_CANCELLED);
	assert_int_equal(harbor_projects_count_sync(F.h, NULL, &n, &err), -1);
	assert_int_equal(n, 0);
	assert_int_equal(err.kind, BERR_CANCELLED);
	assert_int_equal(loop_transfers(F.loop), 0);
	loop_interrupt_clear(F.loop);
	assert_false(loop_interrupted(F.loop));
	assert_false(loop_quitting(F.loop));
	assert_int_equal(harbor_projects_count_sync(F.h, NULL, &n, &err), 0);
	assert_int_equal(n, 250);
}

/* --- async: cancel frees without calling back ------------------------ */

static int	cancel_called;

static void
cancel_cb(const struct berr *err, struct registry_list *l, void *arg)
{
	cancel_called++;
	registry_list_free(l);
}

static void
test_cancel(void **state)
{
	struct req_owner	o;

	cancel_called = 0;
	req_owner_init(&o);
	harbor_registries_list(F.h, NULL, &o, cancel_cb, NULL);
	harbor_registries_list(F.h, NULL, &o, cancel_cb, NULL);
	assert_true(req_owner_busy(&o));
	harbor_cancel(F.h, &o);
	assert_false(req_owner_busy(&o));
	loop_once(F.loop, 50);
	assert_int_equal(cancel_called, 0);

	/* And a normal async round trip delivers exactly once. */
	harbor_registries_list(F.h, NULL, &o, cancel_cb, NULL);
	assert_int_equal(http_wait(F.loop, &o), 0);
	assert_int_equal(cancel_called, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_decode),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_map_table),
		cmocka_unit_test(test_error_live),
		cmocka_unit_test(test_auth_401),
		cmocka_unit_test(test_system),
		cmocka_unit_test(test_pages_total),
		cmocka_unit_test(test_pages_hostile),
		cmocka_unit_test(test_pages_link),
		cmocka_unit_test(test_pages_limit_and_failure),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_create_update),
		cmocka_unit_test(test_map_values),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_interrupt),
	};

	return (cmocka_run_group_tests(tests, fake_start, fake_stop));
}
