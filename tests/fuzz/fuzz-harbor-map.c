/*
 * fuzz-harbor-map.c: every Harbor mapper and the error-body decoder on
 * arbitrary bytes. Nothing may crash or leak; a failing mapper must fill
 * a BERR_JSON (or BERR_TOOBIG) message; an error message must be
 * sanitised (no control bytes).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/model.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int rc, const struct berr *err)
{
	if (rc != 0 && ((err->kind != BERR_JSON && err->kind != BERR_TOOBIG) ||
	    err->msg[0] == '\0'))
		abort();
}

#define MAP(fn, type, freefn) do {					\
	type	*out = NULL;						\
	int	 rc;							\
									\
	berr_clear(&err);						\
	rc = fn(buf, size, &out, &err);					\
	check(rc, &err);						\
	if ((rc == 0) != (out != NULL))					\
		abort();						\
	freefn(out);							\
} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*buf = (const char *)data;
	struct berr	 err;
	const char	*p;

	MAP(harbor_map_systeminfo, struct systeminfo, systeminfo_free);
	MAP(harbor_map_health, struct health, health_free);
	MAP(harbor_map_user, struct user, user_free);
	MAP(harbor_map_registry, struct registry, registry_free);
	MAP(harbor_map_registries, struct registry_list, registry_list_free);
	MAP(harbor_map_registry_info, struct registry_info,
	    registry_info_free);
	MAP(harbor_map_strlist, struct strlist, strlist_free);
	MAP(harbor_map_adapter_infos, struct adapter_info_list,
	    adapter_info_list_free);
	MAP(harbor_map_project, struct project, project_free);
	MAP(harbor_map_projects, struct project_list, project_list_free);
	MAP(harbor_map_project_summary, struct project_summary,
	    project_summary_free);
	MAP(harbor_map_policy, struct policy, policy_free);
	MAP(harbor_map_policies, struct policy_list, policy_list_free);
	MAP(harbor_map_execution, struct execution, execution_free);
	MAP(harbor_map_executions, struct execution_list,
	    execution_list_free);
	MAP(harbor_map_tasks, struct task_list, task_list_free);

	berr_clear(&err);
	if (harbor_error(409, buf, size, &err) != -1 || err.kind != BERR_HTTP)
		abort();
	for (p = err.msg; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	}
	free(harbor_link_next(size > 0 && buf[size - 1] == '\0' ? buf : ""));
	(void)harbor_location_id(size > 0 && buf[size - 1] == '\0' ? buf :
	    "");
	return (0);
}
