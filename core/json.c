/* json.c: bounded parsing and typed getters over cJSON (see json.h). */
#include "config.h"

#include <sys/types.h>

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "berth/json.h"
#include "berth/berr.h"
#include "berth/xmalloc.h"

#define JSON_MAXSAFE	9007199254740992.0	/* 2^53 */

/* Nesting depth of buf, not counting brackets inside strings. */
static int
json_too_deep(const char *buf, size_t len)
{
	size_t	i;
	int	depth = 0, instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		switch (buf[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > JSON_MAXDEPTH)
				return (1);
			break;
		case ']':
		case '}':
			depth--;
			break;
		}
	}
	return (0);
}

struct cJSON *
json_parse(const char *buf, size_t len, struct berr *err)
{
	cJSON		*root;
	const char	*end = NULL, *p;

	if (len == 0 || buf == NULL) {
		berr_set(err, BERR_JSON, 0, "empty json body");
		return (NULL);
	}
	if (len > JSON_MAXLEN) {
		berr_set(err, BERR_TOOBIG, 0, "json body over %d bytes",
		    JSON_MAXLEN);
		return (NULL);
	}
	if (json_too_deep(buf, len)) {
		berr_set(err, BERR_JSON, 0, "json nested too deeply");
		return (NULL);
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		berr_set(err, BERR_JSON, 0, "invalid json at offset %zu",
		    end != NULL && end >= buf ? (size_t)(end - buf) :
		    (size_t)0);
		return (NULL);
	}
	for (p = end; p != NULL && p < buf + len; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' &&
		    *p != '\0') {
			cJSON_Delete(root);
			berr_set(err, BERR_JSON, 0,
			    "invalid json: trailing data at offset %zu",
			    (size_t)(p - buf));
			return (NULL);
		}
	}
	return (root);
}

void
json_wipe(struct cJSON *item)
{
	struct cJSON	*c;

	if (item == NULL)
		return;
	if (cJSON_IsString(item) && item->valuestring != NULL)
		explicit_bzero(item->valuestring, strlen(item->valuestring));
	for (c = item->child; c != NULL; c = c->next)
		json_wipe(c);		/* depth <= JSON_MAXDEPTH */
}

const char *
json_type_name(const struct cJSON *item)
{
	if (item == NULL)
		return ("missing");
	if (cJSON_IsObject(item))
		return ("object");
	if (cJSON_IsArray(item))
		return ("array");
	if (cJSON_IsString(item))
		return ("string");
	if (cJSON_IsNumber(item))
		return ("number");
	if (cJSON_IsBool(item))
		return ("boolean");
	if (cJSON_IsNull(item))
		return ("null");
	return ("invalid");
}

/*
 * The member key of obj, or NULL if missing or null. Returns -1 with err
 * when obj is not an object or a required member is missing.
 */
static int
json_member(const struct cJSON *obj, const char *key, int required,
    const cJSON **out, struct berr *err)
{
	const cJSON	*item;

	*out = NULL;
	if (!cJSON_IsObject(obj))
		return (berr_set(err, BERR_JSON, 0, "field \"%s\": expected "
		    "object around it, got %s", key, json_type_name(obj)));
	item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (item == NULL || cJSON_IsNull(item)) {
		if (required)
			return (berr_set(err, BERR_JSON, 0,
			    "field \"%s\" missing", key));
		return (0);
	}
	*out = item;
	return (0);
}

static int
json_mistyped(const char *key, const char *want, const cJSON *item,
    struct berr *err)
{
	return (berr_set(err, BERR_JSON, 0, "field \"%s\": expected %s, got %s",
	    key, want, json_type_name(item)));
}

int
json_get_str(const struct cJSON *obj, const char *key, char **out,
    int required, struct berr *err)
{
	const cJSON	*item;

	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item == NULL)
		return (0);
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return (json_mistyped(key, "string", item, err));
	free(*out);
	*out = xstrdup(item->valuestring);
	return (0);
}

int
json_get_i64(const struct cJSON *obj, const char *key, int64_t *out,
    int required, struct berr *err)
{
	const cJSON	*item;
	double		 d;

	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item == NULL)
		return (0);
	if (!cJSON_IsNumber(item))
		return (json_mistyped(key, "number", item, err));
	d = item->valuedouble;
	if (!isfinite(d) || d > JSON_MAXSAFE || d < -JSON_MAXSAFE)
		return (berr_set(err, BERR_JSON, 0,
		    "field \"%s\": number out of range", key));
	if (d != (double)(int64_t)d)
		return (berr_set(err, BERR_JSON, 0,
		    "field \"%s\": expected an integer", key));
	*out = (int64_t)d;
	return (0);
}

int
json_get_int(const struct cJSON *obj, const char *key, int *out,
    int required, struct berr *err)
{
	const cJSON	*item;
	int64_t		 v;

	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item == NULL)
		return (0);
	if (json_get_i64(obj, key, &v, 1, err) != 0)
		return (-1);
	if (v > INT_MAX || v < INT_MIN)
		return (berr_set(err, BERR_JSON, 0,
		    "field \"%s\": number out of range", key));
	*out = (int)v;
	return (0);
}

int
json_get_bool(const struct cJSON *obj, const char *key, int *out,
    int required, struct berr *err)
{
	const cJSON	*item;

	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item == NULL)
		return (0);
	if (!cJSON_IsBool(item))
		return (json_mistyped(key, "boolean", item, err));
	*out = cJSON_IsTrue(item) ? 1 : 0;
	return (0);
}

int
json_get_obj(const struct cJSON *obj, const char *key,
    const struct cJSON **out, int required, struct berr *err)
{
	const cJSON	*item;

	*out = NULL;
	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item != NULL && !cJSON_IsObject(item))
		return (json_mistyped(key, "object", item, err));
	*out = item;
	return (0);
}

int
json_get_array(const struct cJSON *obj, const char *key,
    const struct cJSON **out, int required, struct berr *err)
{
	const cJSON	*item;

	*out = NULL;
	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item != NULL && !cJSON_IsArray(item))
		return (json_mistyped(key, "array", item, err));
	*out = item;
	return (0);
}

/* Exactly n decimal digits at *s, advancing it; -1 if not. */
static int
json_digits(const char **s, int n)
{
	int	v = 0;

	while (n-- > 0) {
		if (**s < '0' || **s > '9')
			return (-1);
		v = v * 10 + (**s - '0');
		(*s)++;
	}
	return (v);
}

/* "+hh:mm", "-hh:mm", "Z" (or "z") -> seconds east of UTC; -1 error. */
static int
json_parse_offset(const char *s, long *off)
{
	int	sign, hh, mm;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*off = 0;
		return (0);
	}
	if (s[0] != '+' && s[0] != '-')
		return (-1);
	sign = s[0] == '-' ? -1 : 1;
	s++;
	if ((hh = json_digits(&s, 2)) < 0 || *s++ != ':' ||
	    (mm = json_digits(&s, 2)) < 0 || *s != '\0' || hh > 23 || mm > 59)
		return (-1);
	*off = sign * (hh * 3600L + mm * 60L);
	return (0);
}

int
json_parse_time(const char *s, time_t *out)
{
	struct tm	tm;
	int		y, mo, d, h, mi, sec;
	long		off;
	time_t		t;

	if ((y = json_digits(&s, 4)) < 0 || *s++ != '-' ||
	    (mo = json_digits(&s, 2)) < 0 || *s++ != '-' ||
	    (d = json_digits(&s, 2)) < 0 ||
	    (*s != 'T' && *s != 't' && *s != ' '))
		return (-1);
	s++;
	if ((h = json_digits(&s, 2)) < 0 || *s++ != ':' ||
	    (mi = json_digits(&s, 2)) < 0 || *s++ != ':' ||
	    (sec = json_digits(&s, 2)) < 0)
		return (-1);
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return (-1);
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (json_parse_offset(s, &off) != 0)
		return (-1);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return (-1);
	if (y < 1970) {			/* Go's zero time means "never" */
		*out = 0;
		return (0);
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return (-1);
	*out = t - off;
	return (0);
}

int
json_get_time(const struct cJSON *obj, const char *key, time_t *out,
    int required, struct berr *err)
{
	const cJSON	*item;

	if (json_member(obj, key, required, &item, err) != 0)
		return (-1);
	if (item == NULL)
		return (0);
	if (!cJSON_IsString(item) || item->valuestring == NULL)
		return (json_mistyped(key, "string", item, err));
	if (json_parse_time(item->valuestring, out) != 0)
		return (berr_set(err, BERR_JSON, 0,
		    "field \"%s\": invalid time", key));
	return (0);
}
