/*
 * bench-tasks.c: load every task of one execution through
 * harbor_tasks_list_sync() and print what it cost (run by tests/bench/run,
 * not by make check: it needs the stack's BERTH_SIM_* variables).
 *
 *	bench-tasks EXECUTION_ID
 *
 * Reads BERTH_SIM_HARBOR_URL, _USER, _PASSWORD and BERTH_SIM_CA. Prints
 * one line of key=value pairs:
 *	tasks=N wall_ms=W cpu_ms=C rss_before_kib=A rss_after_kib=B
 *	maxrss_kib=M
 * rss_* are VmRSS from /proc/self/status before the load (client set up)
 * and after it (the list still held); maxrss is the peak, VmHWM.
 * Exit status 0 when the list loaded, 1 otherwise. Never fails on time.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/model.h"
#include "berth/secret.h"

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL ? v : "");
}

/* VmRSS or VmHWM ("VmRSS:", "VmHWM:") in KiB, or -1. */
static long
status_kib(const char *key)
{
	FILE	*f;
	char	 line[256];
	long	 kib = -1;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, key, strlen(key)) == 0) {
			kib = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return (kib);
}

static double
cpu_ms(void)
{
	struct rusage	ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return (0);
	return (ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 +
	    ru.ru_stime.tv_sec * 1000.0 + ru.ru_stime.tv_usec / 1000.0);
}

int
main(int argc, char **argv)
{
	struct http_opts	 ho;
	struct berr		 err;
	struct loop		*loop;
	struct http		*http;
	struct harbor		*h;
	struct secret		*pw;
	struct task_list	*tl = NULL;
	const char		*errstr = NULL;
	uint64_t		 t0, t1;
	double			 c0, c1;
	long			 rss0, rss1;
	int64_t			 eid;
	int			 rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-tasks EXECUTION_ID\n");
		return (2);
	}
	eid = (int64_t)strtonum(argv[1], 1, INT64_MAX, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "bench-tasks: execution id %s\n", errstr);
		return (2);
	}
	loop = loop_new();
	memset(&ho, 0, sizeof ho);
	ho.ca_file = env("BERTH_SIM_CA");
	http = http_new(loop, &ho);
	pw = secret_new(env("BERTH_SIM_HARBOR_PASSWORD"),
	    strlen(env("BERTH_SIM_HARBOR_PASSWORD")));
	h = harbor_new(loop, http, env("BERTH_SIM_HARBOR_URL"),
	    env("BERTH_SIM_HARBOR_USER"), pw);
	secret_free(pw);

	rss0 = status_kib("VmRSS:");
	c0 = cpu_ms();
	t0 = loop_now_ms();
	rc = harbor_tasks_list_sync(h, eid, NULL, &tl, &err);
	t1 = loop_now_ms();
	c1 = cpu_ms();
	rss1 = status_kib("VmRSS:");
	if (rc != 0) {
		fprintf(stderr, "bench-tasks: %s\n", err.msg);
	} else {
		printf("tasks=%zu wall_ms=%" PRIu64 " cpu_ms=%.0f "
		    "rss_before_kib=%ld rss_after_kib=%ld maxrss_kib=%ld\n",
		    tl->n, t1 - t0, c1 - c0, rss0, rss1, status_kib("VmHWM:"));
		task_list_free(tl);
	}
	harbor_free(h);
	http_free(http);
	loop_free(loop);
	return (rc == 0 ? 0 : 1);
}
