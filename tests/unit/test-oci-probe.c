/*
 * test-oci-probe.c: the probe ladder without a registry: a URL without a
 * scheme, a closed local port, the diagnosis table, the printed ladder
 * and its json.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cJSON.h>

#include "berth/loop.h"
#include "berth/probe.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

static struct probe_result *
run(const char *url, const char *user, const char *pw)
{
	struct loop		*lp;
	struct probe_opts	 o;
	struct probe_result	*r;
	struct secret		*s = NULL;

	memset(&o, 0, sizeof o);
	o.url = url;
	o.user = user;
	if (pw != NULL)
		s = secret_new(pw, strlen(pw));
	o.password = s;
	o.timeout_ms = 5000;
	lp = loop_new();
	r = probe_run(lp, &o);
	loop_free(lp);
	secret_free(s);
	return (r);
}

static void
test_no_scheme(void **state)
{
	struct probe_result	*r;
	int			 i;

	(void)state;
	r = run("cgr.dev", "u", "p");
	assert_int_equal(r->rungs[PROBE_URL].status, PROBE_FAIL);
	assert_non_null(strstr(r->rungs[PROBE_URL].detail, "https://cgr.dev"));
	assert_non_null(r->rungs[PROBE_URL].hint);
	for (i = PROBE_DNS; i < PROBE_NSTEPS; i++)
		assert_int_equal(r->rungs[i].status, PROBE_SKIP);
	assert_int_equal(r->failed, 1);
	assert_non_null(strstr(r->cause, "url: no scheme"));
	probe_result_free(r);
}

/* A port that was free a moment ago: nothing listens there. */
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
	struct probe_result	*r;
	char			 url[64];

	(void)state;
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	snprintf(url, sizeof url, "https://127.0.0.1:%d", closed_port());
	r = run(url, "u", "p");
	assert_int_equal(r->rungs[PROBE_URL].status, PROBE_OK);
	assert_int_equal(r->rungs[PROBE_DNS].status, PROBE_SKIP);
	assert_int_equal(r->rungs[PROBE_TCP].status, PROBE_FAIL);
	assert_non_null(strstr(r->rungs[PROBE_TCP].detail, "refused"));
	assert_non_null(r->rungs[PROBE_TCP].hint);
	assert_int_equal(r->rungs[PROBE_TLS].status, PROBE_SKIP);
	assert_int_equal(r->rungs[PROBE_TAGS].status, PROBE_SKIP);
	assert_int_equal(r->failed, 1);
	probe_result_free(r);
}

static void
test_diagnosis(void **state)
{
	struct probe_result	ok, bad;

	(void)state;
	memset(&ok, 0, sizeof ok);
	memset(&bad, 0, sizeof bad);
	bad.failed = 1;
	assert_null(probe_diagnosis(1, 1, &ok));
	assert_non_null(strstr(probe_diagnosis(0, 1, &ok),
	    "between Harbor and the registry"));
	assert_non_null(strstr(probe_diagnosis(1, 1, &bad),
	    "failure is local"));
	assert_non_null(strstr(probe_diagnosis(0, 1, &bad), "both sides"));
	assert_non_null(strstr(probe_diagnosis(0, 0, &ok),
	    "could not ask Harbor"));
	/* no local result counts as a local failure */
	assert_non_null(probe_diagnosis(1, 1, NULL));
}

static void
test_print_json(void **state)
{
	struct probe_result	*r;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;
	cJSON			*j, *rungs, *e;
	int			 n = 0;

	(void)state;
	r = run("cgr.dev", NULL, NULL);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	probe_print(f, r);
	fclose(f);
	assert_non_null(strstr(buf, "  FAIL  url "));
	assert_non_null(strstr(buf, "hint: write the endpoint URL"));
	assert_non_null(strstr(buf, "  skip  tags "));
	free(buf);
	j = probe_result_json(r);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")));
	rungs = cJSON_GetObjectItem(j, "rungs");
	cJSON_ArrayForEach(e, rungs) {
		assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "name")));
		assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "status")));
		n++;
	}
	assert_int_equal(n, PROBE_NSTEPS);
	cJSON_Delete(j);
	probe_result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_scheme),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_diagnosis),
		cmocka_unit_test(test_print_json),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
