/*
 * test-harbor-sim.c: the Harbor client against the simulator stack (run
 * by tests/integration/cli-api.t, not by make check: it needs the stack's
 * BERTH_SIM_* variables). A whole flow through the sync API: adapters,
 * a registry endpoint for the cgr.dev stand-in (create, get, find, ping
 * by id and by values, info, update), a proxy-cache project (create,
 * exists, get, summary, delete), a pull replication policy (create, get,
 * find, update), an execution (start, poll to the end, list by policy,
 * tasks, a task log), then everything deleted again; and 20,000 tasks of
 * a seeded execution loaded in parallel pages, complete and in order.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/model.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

static struct {
	struct loop	*loop;
	struct http	*http;
	struct harbor	*h;
	char		*ca_pem;
	char		 sfx[32];
	int64_t		 reg_id;
	int64_t		 pol_id;
} S;

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL ? v : "");
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xcalloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return (buf);
}

static int
setup(void **state)
{
	struct http_opts	 ho;
	struct secret		*pw;

	S.loop = loop_new();
	memset(&ho, 0, sizeof ho);
	ho.ca_file = env("BERTH_SIM_CA");
	ho.max_retries = -1;
	S.http = http_new(S.loop, &ho);
	pw = secret_new(env("BERTH_SIM_HARBOR_PASSWORD"),
	    strlen(env("BERTH_SIM_HARBOR_PASSWORD")));
	S.h = harbor_new(S.loop, S.http, env("BERTH_SIM_HARBOR_URL"),
	    env("BERTH_SIM_HARBOR_USER"), pw);
	secret_free(pw);
	S.ca_pem = slurp(env("BERTH_SIM_CA"));
	snprintf(S.sfx, sizeof S.sfx, "%ld", (long)getpid());
	return (S.ca_pem != NULL ? 0 : -1);
}

static int
teardown(void **state)
{
	http_free(S.http);
	harbor_free(S.h);
	loop_free(S.loop);
	free(S.ca_pem);
	return (0);
}

/* Let the loop run for ms (a timer), for polling without sleep(). */
static void
timer_fired(void *arg)
{
	*(int *)arg = 1;
}

static void
wait_ms(unsigned int ms)
{
	int	fired = 0;

	loop_timer_add(S.loop, ms, timer_fired, &fired);
	while (!fired)
		loop_once(S.loop, -1);
}

static void
test_adapters(void **state)
{
	struct strlist			*a;
	struct adapter_info_list	*ai;
	struct berr			 err;
	size_t				 i;
	int				 found = 0;

	assert_int_equal(harbor_adapters_sync(S.h, &a, &err), 0);
	for (i = 0; i < a->n; i++)
		found |= strcmp(a->v[i], "docker-registry") == 0;
	assert_true(found);
	strlist_free(a);
	if (harbor_adapter_infos_sync(S.h, &ai, &err) == 0)
		adapter_info_list_free(ai);
	else
		assert_int_equal(err.kind, BERR_HTTP);	/* optional in the sim */
}

static void
test_registry(void **state)
{
	struct registry_req	 rq;
	struct registry		*r;
	struct registry_info	*ri;
	struct secret		*sec, *bad;
	struct berr		 err;
	char			*name;

	xasprintf(&name, "cgr-%s", S.sfx);
	sec = secret_new(env("BERTH_SIM_CGR_PASSWORD"),
	    strlen(env("BERTH_SIM_CGR_PASSWORD")));
	registry_req_init(&rq);
	rq.name = name;
	rq.url = env("BERTH_SIM_CGR_URL");
	rq.type = "docker-registry";
	rq.access_key = env("BERTH_SIM_CGR_USER");
	rq.access_secret = sec;
	rq.ca_certificate = S.ca_pem;
	rq.insecure = 0;
	if (harbor_registry_create_sync(S.h, &rq, &S.reg_id, &err) != 0)
		fail_msg("create registry: %s", err.msg);
	assert_true(S.reg_id > 0);

	/* The same name again: Harbor's 409, one readable message. */
	assert_int_equal(harbor_registry_create_sync(S.h, &rq, NULL, &err), -1);
	assert_int_equal(err.status, 409);
	assert_non_null(strstr(err.msg, "harbor: 409 conflict: "));

	assert_int_equal(harbor_registry_get_sync(S.h, S.reg_id, &r, &err), 0);
	assert_string_equal(r->name, name);
	assert_string_equal(r->access_key, env("BERTH_SIM_CGR_USER"));
	assert_true(r->has_secret);
	registry_free(r);
	assert_int_equal(harbor_registry_find_sync(S.h, name, &r, &err), 0);
	assert_int_equal(r->id, S.reg_id);
	registry_free(r);

	if (harbor_registry_ping_sync(S.h, S.reg_id, NULL, 20000, &err) != 0)
		fail_msg("ping by id: %s", err.msg);
	bad = secret_new("wrong", 5);
	rq.access_secret = bad;
	rq.name = NULL;
	assert_int_equal(harbor_registry_ping_sync(S.h, 0, &rq, 20000, &err),
	    -1);
	assert_true(err.status >= 400);
	secret_free(bad);

	assert_int_equal(harbor_registry_info_sync(S.h, S.reg_id, &ri, &err),
	    0);
	registry_info_free(ri);

	registry_req_init(&rq);
	rq.description = "made by test-harbor-sim";
	assert_int_equal(harbor_registry_update_sync(S.h, S.reg_id, &rq, &err),
	    0);
	assert_int_equal(harbor_registry_get_sync(S.h, S.reg_id, &r, &err), 0);
	assert_string_equal(r->description, "made by test-harbor-sim");
	assert_string_equal(r->name, name);	/* untouched */
	registry_free(r);
	secret_free(sec);
	free(name);
}

static void
test_project(void **state)
{
	struct project_req	 pr;
	struct project		*p;
	struct project_summary	*ps;
	struct project_list	*pl;
	struct harbor_query	 q;
	struct berr		 err;
	char			*name;
	int			 exists = -1;
	int64_t			 id;

	xasprintf(&name, "proxy-%s", S.sfx);
	assert_int_equal(harbor_project_exists_sync(S.h, name, &exists, &err),
	    0);
	assert_int_equal(exists, 0);
	memset(&pr, 0, sizeof pr);
	pr.name = name;
	pr.public = 1;
	pr.registry_id = S.reg_id;
	if (harbor_project_create_sync(S.h, &pr, &id, &err) != 0)
		fail_msg("create project: %s", err.msg);
	assert_int_equal(harbor_project_exists_sync(S.h, name, &exists, &err),
	    0);
	assert_int_equal(exists, 1);
	assert_int_equal(harbor_project_get_sync(S.h, name, &p, &err), 0);
	assert_string_equal(p->name, name);
	assert_int_equal(p->registry_id, S.reg_id);
	assert_int_equal(p->public, 1);
	if (id > 0)
		assert_int_equal(p->id, id);
	project_free(p);
	assert_int_equal(harbor_project_summary_sync(S.h, name, &ps, &err), 0);
	assert_non_null(ps->registry);
	assert_int_equal(ps->registry->id, S.reg_id);
	project_summary_free(ps);

	memset(&q, 0, sizeof q);
	q.q = "name=~proxy-";
	assert_int_equal(harbor_projects_list_sync(S.h, &q, &pl, &err), 0);
	assert_true(pl->n >= 1);
	project_list_free(pl);

	assert_int_equal(harbor_project_delete_sync(S.h, name, &err), 0);
	assert_int_equal(harbor_project_exists_sync(S.h, name, &exists, &err),
	    0);
	assert_int_equal(exists, 0);
	assert_int_equal(harbor_project_get_sync(S.h, name, &p, &err), -1);
	assert_int_equal(err.status, 404);
	free(name);
}

static void
test_policy_and_run(void **state)
{
	struct policy		 in, *p;
	struct execution	*e = NULL;
	struct execution_list	*el;
	struct task_list	*tl;
	struct harbor_query	 q;
	struct berr		 err;
	char			*log, *filter;
	size_t			 len, i;
	int64_t			 eid;
	int			 tries, found = 0;

	policy_init(&in);
	xasprintf(&in.name, "mirror-%s", S.sfx);
	in.src_registry_id = S.reg_id;
	xasprintf(&in.dest_namespace, "mirror-%s", S.sfx);
	in.dest_namespace_replace_count = 1;
	in.trigger_type = xstrdup("manual");
	xasprintf(&filter, "%s/**", env("BERTH_SIM_ORG"));
	in.filters = xcalloc(1, sizeof *in.filters);
	in.nfilters = 1;
	in.filters[0].type = xstrdup("name");
	in.filters[0].value = filter;
	in.enabled = 0;
	if (harbor_policy_create_sync(S.h, &in, &S.pol_id, &err) != 0)
		fail_msg("create policy: %s", err.msg);
	assert_true(S.pol_id > 0);

	/* Disabled: Harbor refuses to run it (412). */
	assert_int_equal(harbor_execution_start_sync(S.h, S.pol_id, &eid,
	    &err), -1);
	assert_int_equal(err.status, 412);

	in.enabled = 1;
	assert_int_equal(harbor_policy_update_sync(S.h, S.pol_id, &in, &err),
	    0);
	assert_int_equal(harbor_policy_get_sync(S.h, S.pol_id, &p, &err), 0);
	assert_int_equal(p->enabled, 1);
	assert_int_equal(p->src_registry_id, S.reg_id);
	assert_int_equal(p->nfilters, 1);
	assert_string_equal(p->filters[0].value, filter);
	policy_free(p);
	assert_int_equal(harbor_policy_find_sync(S.h, in.name, &p, &err), 0);
	assert_int_equal(p->id, S.pol_id);
	policy_free(p);

	if (harbor_execution_start_sync(S.h, S.pol_id, &eid, &err) != 0)
		fail_msg("start: %s", err.msg);
	assert_true(eid > 0);
	for (tries = 0; tries < 300; tries++) {
		assert_int_equal(harbor_execution_get_sync(S.h, eid, &e, &err),
		    0);
		if (model_status_final(e->status))
			break;
		execution_free(e);
		e = NULL;
		wait_ms(100);
	}
	assert_non_null(e);
	if (strcmp(e->status, "Succeed") != 0)
		fail_msg("execution %s: %s", e->status,
		    e->status_text != NULL ? e->status_text : "");
	assert_true(e->total > 0);
	assert_int_equal(e->succeed, e->total);
	execution_free(e);

	memset(&q, 0, sizeof q);
	q.policy_id = S.pol_id;
	assert_int_equal(harbor_executions_list_sync(S.h, &q, &el, &err), 0);
	for (i = 0; i < el->n; i++)
		found |= el->items[i].id == eid;
	assert_true(found);
	execution_list_free(el);

	assert_int_equal(harbor_tasks_list_sync(S.h, eid, NULL, &tl, &err), 0);
	assert_true(tl->n > 0);
	assert_string_equal(tl->items[0].status, "Succeed");
	assert_int_equal(harbor_task_log_sync(S.h, eid, tl->items[0].id, &log,
	    &len, &err), 0);
	assert_true(len > 0);
	assert_int_equal(strlen(log), len);
	free(log);
	task_list_free(tl);
	policy_clear(&in);
}

/* POST the simulator's control endpoint; returns the parsed JSON body. */
struct ctl {
	int	 done;
	long	 status;
	char	*body;
};

static void
ctl_cb(const struct berr *err, struct http_resp *resp, void *arg)
{
	struct ctl	*c = arg;

	c->done = 1;
	if (err == NULL) {
		c->status = resp->status;
		c->body = resp->body;
		resp->body = NULL;
	}
}

static int64_t
sim_seed_tasks(int n)
{
	struct http_reqspec	 spec;
	struct req_owner	 o;
	struct ctl		 c;
	char			*url, *body, *p;
	int64_t			 id = -1;

	memset(&c, 0, sizeof c);
	memset(&spec, 0, sizeof spec);
	xasprintf(&url, "%s/seed", env("BERTH_SIM_CONTROL_URL"));
	xasprintf(&body, "{\"execution_tasks\":%d}", n);
	spec.method = "POST";
	spec.url = url;
	spec.body = body;
	spec.body_len = strlen(body);
	spec.content_type = "application/json";
	spec.retry = 0;
	req_owner_init(&o);
	http_send(S.http, &spec, &o, ctl_cb, &c);
	assert_int_equal(http_wait(S.loop, &o), 0);
	if (c.status == 201 && c.body != NULL &&
	    (p = strstr(c.body, "\"execution_id\":")) != NULL)
		id = strtoll(p + 15, NULL, 10);
	free(c.body);
	free(url);
	free(body);
	return (id);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

static void
test_many_tasks(void **state)
{
	struct task_list	*tl;
	struct berr		 err;
	uint64_t		 t0;
	int64_t			 eid;
	size_t			 i, dup = 0;
	int64_t			*ids;

	if (*env("BERTH_SIM_CONTROL_URL") == '\0')
		skip();
	eid = sim_seed_tasks(20000);
	assert_true(eid > 0);
	t0 = loop_now_ms();
	if (harbor_tasks_list_sync(S.h, eid, NULL, &tl, &err) != 0)
		fail_msg("tasks: %s", err.msg);
	printf("# 20000 tasks in %.2f s\n", (loop_now_ms() - t0) / 1000.0);
	assert_int_equal(tl->n, 20000);
	ids = xcalloc(tl->n, sizeof *ids);
	for (i = 0; i < tl->n; i++) {
		assert_int_equal(tl->items[i].execution_id, eid);
		assert_non_null(tl->items[i].status);
		ids[i] = tl->items[i].id;
	}
	qsort(ids, tl->n, sizeof *ids, cmp_i64);
	for (i = 1; i < tl->n; i++)
		dup += ids[i] == ids[i - 1];
	assert_int_equal(dup, 0);	/* every page once, none twice */
	free(ids);
	task_list_free(tl);
}

static void
test_cleanup(void **state)
{
	struct registry	*r = NULL;
	struct berr	 err;

	assert_int_equal(harbor_policy_delete_sync(S.h, S.pol_id, &err), 0);
	assert_int_equal(harbor_registry_delete_sync(S.h, S.reg_id, &err), 0);
	assert_int_equal(harbor_registry_get_sync(S.h, S.reg_id, &r, &err), -1);
	assert_int_equal(err.status, 404);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adapters),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_project),
		cmocka_unit_test(test_policy_and_run),
		cmocka_unit_test(test_cleanup),
		cmocka_unit_test(test_many_tasks),
	};

	if (*env("BERTH_SIM_HARBOR_URL") == '\0') {
		printf("1..0 # SKIP no simulator (BERTH_SIM_HARBOR_URL)\n");
		return (0);
	}
	return (cmocka_run_group_tests(tests, setup, teardown));
}
