/* test-json.c: bounded parsing and typed getters. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cJSON.h>

#include "berth/berr.h"
#include "berth/json.h"
#include "berth/xmalloc.h"

static cJSON *
parse(const char *s)
{
	struct berr	 err;
	cJSON		*root;

	berr_clear(&err);
	root = json_parse(s, strlen(s), &err);
	if (root == NULL)
		fail_msg("parse failed: %s", err.msg);
	return (root);
}

static void
test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "{", "{\"a\":}", "[1,2", "nul", "{} x", "{\"a\":1}}",
		"\"unterminated",
	};
	struct berr	 err;
	size_t		 i;
	char		*deep;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		berr_clear(&err);
		if (json_parse(bad[i], strlen(bad[i]), &err) != NULL)
			fail_msg("\"%s\" parsed", bad[i]);
		assert_int_equal(err.kind, BERR_JSON);
	}
	berr_clear(&err);
	assert_null(json_parse("[1]x", 4, &err));
	assert_string_equal(err.msg, "invalid json: trailing data at offset 3");
	/* not NUL terminated: only len bytes are read */
	assert_null(json_parse("{\"a\":1}", 4, &err));
	/* too deep */
	deep = xmalloc(2 * (JSON_MAXDEPTH + 1) + 1);
	memset(deep, '[', JSON_MAXDEPTH + 1);
	memset(deep + JSON_MAXDEPTH + 1, ']', JSON_MAXDEPTH + 1);
	deep[2 * (JSON_MAXDEPTH + 1)] = '\0';
	berr_clear(&err);
	assert_null(json_parse(deep, strlen(deep), &err));
	assert_string_equal(err.msg, "json nested too deeply");
	/* exactly the limit is fine */
	deep[2 * JSON_MAXDEPTH + 1] = '\0';
	cJSON_Delete(parse(deep + 1));
	/* brackets inside strings do not count */
	deep[0] = '"';
	deep[2 * JSON_MAXDEPTH + 1] = '"';
	cJSON_Delete(parse(deep));
	free(deep);
	cJSON_Delete(parse("[\"\\\"[[[[\"]"));
	berr_clear(&err);
	assert_null(json_parse("{}", (size_t)JSON_MAXLEN + 1, &err));
	assert_int_equal(err.kind, BERR_TOOBIG);
}

static void
test_strings(void **state)
{
	cJSON		*o;
	struct berr	 err;
	char		*s = NULL;

	(void)state;
	o = parse("{\"name\":\"proj\",\"n\":5,\"nul\":null,\"x\":{\"y\":1}}");
	assert_int_equal(json_get_str(o, "name", &s, 1, &err), 0);
	assert_string_equal(s, "proj");
	/* a second get replaces (and frees) the first value */
	assert_int_equal(json_get_str(o, "name", &s, 1, &err), 0);
	assert_string_equal(s, "proj");
	/* optional and missing or null: unchanged */
	assert_int_equal(json_get_str(o, "nope", &s, 0, &err), 0);
	assert_int_equal(json_get_str(o, "nul", &s, 0, &err), 0);
	assert_string_equal(s, "proj");
	berr_clear(&err);
	assert_int_equal(json_get_str(o, "nope", &s, 1, &err), -1);
	assert_int_equal(err.kind, BERR_JSON);
	assert_string_equal(err.msg, "field \"nope\" missing");
	assert_int_equal(json_get_str(o, "nul", &s, 1, &err), -1);
	assert_int_equal(json_get_str(o, "n", &s, 1, &err), -1);
	assert_string_equal(err.msg, "field \"n\": expected string, got number");
	assert_int_equal(json_get_str(o, "x", &s, 0, &err), -1);
	assert_string_equal(err.msg, "field \"x\": expected string, got object");
	free(s);
	cJSON_Delete(o);
	/* getters on a non-object */
	o = parse("[1]");
	s = NULL;
	assert_int_equal(json_get_str(o, "a", &s, 0, &err), -1);
	assert_int_equal(err.kind, BERR_JSON);
	assert_null(s);
	cJSON_Delete(o);
}

static void
test_numbers(void **state)
{
	cJSON		*o;
	struct berr	 err;
	int64_t		 v = 42;
	int		 i = 7;

	(void)state;
	o = parse("{\"id\":12,\"neg\":-3,\"big\":9007199254740992,"
	    "\"huge\":1e300,\"inf\":1e999,\"frac\":1.5,\"s\":\"12\","
	    "\"b\":true,\"i32\":2147483648,\"exp\":1e3}");
	assert_int_equal(json_get_i64(o, "id", &v, 1, &err), 0);
	assert_int_equal(v, 12);
	assert_int_equal(json_get_i64(o, "neg", &v, 1, &err), 0);
	assert_int_equal(v, -3);
	assert_int_equal(json_get_i64(o, "big", &v, 1, &err), 0);
	assert_true(v == INT64_C(9007199254740992));
	assert_int_equal(json_get_i64(o, "exp", &v, 1, &err), 0);
	assert_int_equal(v, 1000);
	v = 99;
	assert_int_equal(json_get_i64(o, "huge", &v, 1, &err), -1);
	assert_string_equal(err.msg, "field \"huge\": number out of range");
	assert_int_equal(json_get_i64(o, "inf", &v, 1, &err), -1);
	assert_int_equal(json_get_i64(o, "frac", &v, 1, &err), -1);
	assert_string_equal(err.msg, "field \"frac\": expected an integer");
	assert_int_equal(json_get_i64(o, "s", &v, 1, &err), -1);
	assert_string_equal(err.msg, "field \"s\": expected number, got string");
	assert_int_equal(json_get_i64(o, "b", &v, 1, &err), -1);
	assert_int_equal(v, 99);
	assert_int_equal(json_get_i64(o, "missing", &v, 0, &err), 0);
	assert_int_equal(v, 99);
	assert_int_equal(json_get_int(o, "id", &i, 1, &err), 0);
	assert_int_equal(i, 12);
	assert_int_equal(json_get_int(o, "i32", &i, 1, &err), -1);
	assert_string_equal(err.msg, "field \"i32\": number out of range");
	assert_int_equal(json_get_int(o, "missing", &i, 1, &err), -1);
	assert_int_equal(i, 12);
	cJSON_Delete(o);
}

static void
test_bools_nested(void **state)
{
	cJSON		*o;
	const cJSON	*sub, *arr;
	struct berr	 err;
	int		 b = -1, v = 0;
	char		*s = NULL;

	(void)state;
	o = parse("{\"t\":true,\"f\":false,\"one\":1,\"str\":\"true\","
	    "\"sub\":{\"deeper\":{\"name\":\"n\"}},\"list\":[{\"id\":1},"
	    "{\"id\":\"2\"}],\"unknown\":[1,{\"z\":null}]}");
	assert_int_equal(json_get_bool(o, "t", &b, 1, &err), 0);
	assert_int_equal(b, 1);
	assert_int_equal(json_get_bool(o, "f", &b, 1, &err), 0);
	assert_int_equal(b, 0);
	assert_int_equal(json_get_bool(o, "one", &b, 1, &err), -1);
	assert_string_equal(err.msg, "field \"one\": expected boolean, got number");
	assert_int_equal(json_get_bool(o, "str", &b, 1, &err), -1);
	assert_int_equal(json_get_obj(o, "sub", &sub, 1, &err), 0);
	assert_int_equal(json_get_obj(sub, "deeper", &sub, 1, &err), 0);
	assert_int_equal(json_get_str(sub, "name", &s, 1, &err), 0);
	assert_string_equal(s, "n");
	free(s);
	assert_int_equal(json_get_obj(o, "list", &sub, 1, &err), -1);
	assert_string_equal(err.msg, "field \"list\": expected object, got array");
	assert_null(sub);
	assert_int_equal(json_get_obj(o, "gone", &sub, 0, &err), 0);
	assert_null(sub);
	assert_int_equal(json_get_array(o, "sub", &arr, 1, &err), -1);
	assert_int_equal(json_get_array(o, "list", &arr, 1, &err), 0);
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	assert_int_equal(json_get_int(cJSON_GetArrayItem(arr, 0), "id", &v, 1,
	    &err), 0);
	assert_int_equal(v, 1);
	assert_int_equal(json_get_int(cJSON_GetArrayItem(arr, 1), "id", &v, 1,
	    &err), -1);
	assert_int_equal(err.kind, BERR_JSON);
	/* a mapper adds context */
	berr_prefix(&err, "item %d", 1);
	assert_string_equal(err.msg,
	    "item 1: field \"id\": expected number, got string");
	cJSON_Delete(o);
}

static void
test_times(void **state)
{
	static const struct {
		const char	*in;
		int		 ok;
		time_t		 want;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 1, 0 },
		{ "2024-05-01T12:00:00Z", 1, 1714564800 },
		{ "2024-05-01T12:00:00.123456789Z", 1, 1714564800 },
		{ "2024-05-01T14:00:00+02:00", 1, 1714564800 },
		{ "2024-05-01T07:30:00-04:30", 1, 1714564800 },
		{ "2024-05-01 12:00:00z", 1, 1714564800 },
		{ "0001-01-01T00:00:00Z", 1, 0 },
		{ "2024-05-01T12:00:00", 0, 0 },
		{ "2024-13-01T12:00:00Z", 0, 0 },
		{ "2024-05-01T12:00Z", 0, 0 },
		{ "2024-05-01T12:00:00.Z", 0, 0 },
		{ "2024-05-01T12:00:00+2:00", 0, 0 },
		{ "", 0, 0 },
		{ "yesterday", 0, 0 },
	};
	size_t		 i;
	time_t		 t;
	cJSON		*o;
	struct berr	 err;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		t = 12345;
		if (cases[i].ok) {
			if (json_parse_time(cases[i].in, &t) != 0)
				fail_msg("%s: rejected", cases[i].in);
			if (t != cases[i].want)
				fail_msg("%s: got %lld", cases[i].in,
				    (long long)t);
		} else if (json_parse_time(cases[i].in, &t) == 0)
			fail_msg("%s: accepted", cases[i].in);
	}
	o = parse("{\"c\":\"2024-05-01T12:00:00Z\",\"bad\":\"x\",\"n\":1}");
	assert_int_equal(json_get_time(o, "c", &t, 1, &err), 0);
	assert_int_equal(t, 1714564800);
	assert_int_equal(json_get_time(o, "bad", &t, 1, &err), -1);
	assert_string_equal(err.msg, "field \"bad\": invalid time");
	assert_int_equal(json_get_time(o, "n", &t, 1, &err), -1);
	cJSON_Delete(o);
}

/* json_wipe: every string value zeroed, at any depth; lengths kept. */
static void
test_wipe(void **state)
{
	cJSON		*o, *a, *v;
	const char	*tok;
	size_t		 i;

	o = parse("{\"token\":\"s3cret-tok\",\"n\":1,\"auths\":{\"cgr.dev\":"
	    "{\"auth\":\"dXNlcjpwYXNz\",\"x\":[\"p1\",{\"password\":\"pw\"}]}}}");
	v = cJSON_GetObjectItemCaseSensitive(o, "token");
	tok = v->valuestring;
	json_wipe(o);
	for (i = 0; i < strlen("s3cret-tok"); i++)
		assert_int_equal(tok[i], '\0');
	a = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(o, "auths"), "cgr.dev");
	assert_string_equal(
	    cJSON_GetObjectItemCaseSensitive(a, "auth")->valuestring, "");
	v = cJSON_GetObjectItemCaseSensitive(a, "x");
	assert_string_equal(cJSON_GetArrayItem(v, 0)->valuestring, "");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetArrayItem(v, 1), "password")->valuestring, "");
	/* keys and numbers stay */
	assert_non_null(cJSON_GetObjectItemCaseSensitive(o, "n"));
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(o, "n")->valueint, 1);
	cJSON_Delete(o);
	json_wipe(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bools_nested),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_wipe),
	};

	return (cmocka_run_group_tests_name("json", tests, NULL, NULL));
}
