/*
 * json.h: map untrusted JSON (Harbor, OCI registries) into typed structs
 * with cJSON. Core only (tui/ never includes this). Rules:
 *  - parse with json_parse() (size and nesting bounded), copy what is
 *    needed into the model with the json_get_*() helpers, cJSON_Delete()
 *    before returning: no cJSON outlives its mapper;
 *  - unknown fields are ignored; a missing required field or a field of
 *    the wrong type is a BERR_JSON error naming the field:
 *    'field "id": expected number, got string';
 *  - a JSON null counts as missing;
 *  - when an optional field is missing, *out is left unchanged (so the
 *    caller can preset a default) and 0 is returned.
 * Mappers add context with berr_prefix(err, "registry %d", i).
 * Messages never quote the offending value (it is untrusted).
 */
#ifndef BERTH_JSON_H
#define BERTH_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct berr;
struct cJSON;

#define JSON_MAXLEN	(64 * 1024 * 1024)	/* json_parse() size limit */
#define JSON_MAXDEPTH	64			/* nesting of [ and { */

/*
 * Parse len bytes (need not be NUL-terminated). Returns the root (caller
 * cJSON_Delete()s) or NULL with err: BERR_JSON "invalid json at offset N",
 * "json nested too deeply", BERR_TOOBIG over JSON_MAXLEN. An empty body
 * is an error.
 */
struct cJSON	*json_parse(const char *buf, size_t len, struct berr *);

/*
 * Zero every string value in the tree (a token or password read from
 * json), before cJSON_Delete(): freed memory keeps no secret. NULL ok.
 */
void		 json_wipe(struct cJSON *);

/*
 * Typed getters on an object. obj must be an object (else BERR_JSON
 * "expected object"). required: 1 = missing is an error.
 */
/* String: *out gets an xstrdup copy (any previous *out is freed). */
int	json_get_str(const struct cJSON *obj, const char *key, char **out,
	    int required, struct berr *);
/* Number: integral, within int64_t (and exactly representable, |n| <= 2^53). */
int	json_get_i64(const struct cJSON *obj, const char *key, int64_t *out,
	    int required, struct berr *);
/* Number: integral, within int. */
int	json_get_int(const struct cJSON *obj, const char *key, int *out,
	    int required, struct berr *);
/* Boolean: true/false only (no 0/1, no strings); *out = 0 or 1. */
int	json_get_bool(const struct cJSON *obj, const char *key, int *out,
	    int required, struct berr *);
/* Object or array member, borrowed from obj. NULL *out when missing. */
int	json_get_obj(const struct cJSON *obj, const char *key,
	    const struct cJSON **out, int required, struct berr *);
int	json_get_array(const struct cJSON *obj, const char *key,
	    const struct cJSON **out, int required, struct berr *);
/*
 * RFC 3339 time string ("2024-05-01T12:00:00Z", fractions and +hh:mm
 * offsets accepted; Harbor also sends "0001-01-01T00:00:00Z" for "never",
 * which gives 0) to UTC seconds.
 */
int	json_get_time(const struct cJSON *obj, const char *key, time_t *out,
	    int required, struct berr *);

/* Parse an RFC 3339 string as json_get_time() does; -1 if invalid. */
int	json_parse_time(const char *, time_t *);
/* "object", "array", "string", "number", "boolean", "null", "invalid",
 * "missing" for NULL. */
const char *json_type_name(const struct cJSON *);

#endif
