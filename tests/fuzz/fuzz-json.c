/*
 * fuzz-json.c: json_parse and every typed getter on arbitrary bytes.
 * Each member of every object is read as every type, required or not;
 * nothing may crash or leak, and a failing getter must fill a BERR_JSON.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cJSON.h>

#include "berth/berr.h"
#include "berth/json.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int rc, const struct berr *err)
{
	if (rc != 0 && (err->kind != BERR_JSON || err->msg[0] == '\0'))
		abort();
}

static void
walk(const cJSON *item, int depth)
{
	const cJSON	*child, *sub;
	struct berr	 err;
	char		*s = NULL;
	int64_t		 v;
	time_t		 t;
	int		 i, b, req;

	if (depth > JSON_MAXDEPTH + 1)
		abort();
	cJSON_ArrayForEach(child, item) {
		if (cJSON_IsObject(item) && child->string != NULL) {
			for (req = 0; req < 2; req++) {
				berr_clear(&err);
				check(json_get_str(item, child->string, &s,
				    req, &err), &err);
				check(json_get_i64(item, child->string, &v,
				    req, &err), &err);
				check(json_get_int(item, child->string, &i,
				    req, &err), &err);
				check(json_get_bool(item, child->string, &b,
				    req, &err), &err);
				check(json_get_time(item, child->string, &t,
				    req, &err), &err);
				check(json_get_obj(item, child->string, &sub,
				    req, &err), &err);
				check(json_get_array(item, child->string, &sub,
				    req, &err), &err);
			}
		}
		walk(child, depth + 1);
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct berr	 err;
	cJSON		*root;

	berr_clear(&err);
	if ((root = json_parse((const char *)data, size, &err)) == NULL) {
		if (err.kind != BERR_JSON && err.kind != BERR_TOOBIG)
			abort();
		return (0);
	}
	walk(root, 0);
	cJSON_Delete(root);
	return (0);
}
