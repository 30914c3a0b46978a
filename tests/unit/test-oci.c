/* test-oci.c: WWW-Authenticate, Link, URL, token and JWT parsers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "berth/berr.h"
#include "berth/oci.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

/*
 * Expected result: challenges as "scheme{name=value,...}" joined by " | ",
 * token68 as "scheme[token68]"; NULL when the header must be refused.
 */
struct wa_case {
	const char	*in;
	const char	*want;
};

static const struct wa_case wa_cases[] = {
	{ "Bearer realm=\"https://cgr.dev/token\",service=\"cgr.dev\"",
	  "bearer{realm=https://cgr.dev/token,service=cgr.dev}" },
	{ "Bearer realm=\"https://r/token\",service=\"svc\","
	  "scope=\"repository:a/b:pull,push\"",
	  "bearer{realm=https://r/token,service=svc,"
	  "scope=repository:a/b:pull,push}" },
	{ "Bearer realm=\"https://r/t\",service=\"s\",scope=\"repository:x:pull\","
	  "error=\"insufficient_scope\"",
	  "bearer{realm=https://r/t,service=s,scope=repository:x:pull,"
	  "error=insufficient_scope}" },
	{ "Basic realm=\"Registry Realm\"", "basic{realm=Registry Realm}" },
	{ "basic REALM=foo", "basic{realm=foo}" },
	/* several challenges, in one header */
	{ "Basic realm=\"a, b\", Bearer realm=\"https://x/t\", service=s",
	  "basic{realm=a, b} | bearer{realm=https://x/t,service=s}" },
	{ "Negotiate, Basic realm=x", "negotiate{} | basic{realm=x}" },
	{ "Negotiate abc123==, Basic realm=x",
	  "negotiate[abc123==] | basic{realm=x}" },
	{ "Newauth abc/+~._-=", "newauth[abc/+~._-=]" },
	/* escapes and whitespace */
	{ "Bearer realm=\"a\\\"b\\\\c\"", "bearer{realm=a\"b\\c}" },
	{ "Bearer   realm = \"x\" ,  service = y  ", "bearer{realm=x,service=y}" },
	{ ", ,Bearer realm=x,, ,service=y,", "bearer{realm=x,service=y}" },
	{ "Bearer realm=\"\"", "bearer{realm=}" },
	{ "Bearer", "bearer{}" },
	/* hostile or malformed */
	{ "", NULL },
	{ "   ", NULL },
	{ "Bearer realm=\"unterminated", NULL },
	{ "Bearer realm=\"x\\", NULL },
	{ "Bearer realm=", "bearer[realm=]" },	/* token68 */
	{ "Bearer realm=x service=y", NULL },
	{ "Bearer realm=\"a\rb\"", NULL },
	{ "Bearer realm=\"a\nWWW-Authenticate: x\"", NULL },
	{ "Bearer realm=\"a\x01\"", NULL },
	{ "Bearer realm=x, realm=y", NULL },
	{ "=realm", NULL },
	{ "Bear/er realm=x", NULL },
	{ "Bearer realm=\"x\" \"y\"", NULL },
	{ "Basic abc==, realm=x", NULL },
};

static char *
wa_render(const struct oci_challenges *cs)
{
	char	*s = xstrdup(""), *n;
	size_t	 i, j;

	for (i = 0; i < cs->n; i++) {
		const struct oci_challenge *c = &cs->c[i];

		if (c->token68 != NULL)
			xasprintf(&n, "%s%s%s[%s]", s, i ? " | " : "",
			    c->scheme, c->token68);
		else {
			xasprintf(&n, "%s%s%s{", s, i ? " | " : "", c->scheme);
			for (j = 0; j < c->nparams; j++) {
				free(s);
				s = n;
				xasprintf(&n, "%s%s%s=%s", s, j ? "," : "",
				    c->params[j].name, c->params[j].value);
			}
			free(s);
			s = n;
			xasprintf(&n, "%s}", s);
		}
		free(s);
		s = n;
	}
	return (s);
}

static void
test_www_auth_table(void **state)
{
	struct oci_challenges	 cs;
	struct berr		 err;
	size_t			 i;
	char			*got;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(wa_cases); i++) {
		berr_clear(&err);
		rc = oci_www_auth_parse(wa_cases[i].in, &cs, &err);
		if (wa_cases[i].want == NULL) {
			if (rc != -1)
				fail_msg("case %zu accepted: %s", i,
				    wa_cases[i].in);
			assert_int_equal(err.kind, BERR_AUTH);
			assert_non_null(strstr(err.msg, "www-authenticate"));
		} else {
			if (rc != 0)
				fail_msg("case %zu refused (%s): %s", i,
				    err.msg, wa_cases[i].in);
			got = wa_render(&cs);
			if (strcmp(got, wa_cases[i].want) != 0)
				fail_msg("case %zu: got %s want %s", i, got,
				    wa_cases[i].want);
			free(got);
		}
		oci_challenges_clear(&cs);
	}
}

static void
test_www_auth_bounds(void **state)
{
	struct oci_challenges	 cs;
	struct berr		 err;
	char			*s, *p;
	size_t			 i;

	(void)state;
	/* NULL header */
	assert_int_equal(oci_www_auth_parse(NULL, &cs, &err), -1);
	oci_challenges_clear(&cs);
	/* too long */
	s = xmalloc(OCI_HDR_MAX + 64);
	strlcpy(s, "Bearer realm=\"", OCI_HDR_MAX + 64);
	memset(s + 14, 'a', OCI_HDR_MAX);
	strlcpy(s + 14 + OCI_HDR_MAX, "\"", 2);
	assert_int_equal(oci_www_auth_parse(s, &cs, &err), -1);
	assert_non_null(strstr(err.msg, "too long"));
	oci_challenges_clear(&cs);
	/* a value over OCI_VALUE_MAX inside a header that fits */
	strlcpy(s, "Bearer realm=\"", OCI_HDR_MAX + 64);
	memset(s + 14, 'a', OCI_VALUE_MAX + 1);
	strlcpy(s + 14 + OCI_VALUE_MAX + 1, "\"", 2);
	assert_int_equal(oci_www_auth_parse(s, &cs, &err), -1);
	oci_challenges_clear(&cs);
	/* too many parameters */
	p = s;
	strlcpy(s, "Bearer a0=x", OCI_HDR_MAX);
	for (i = 1; i <= OCI_PARAM_MAX; i++) {
		p = s + strlen(s);
		snprintf(p, 16, ",a%zu=x", i);
	}
	assert_int_equal(oci_www_auth_parse(s, &cs, &err), -1);
	assert_non_null(strstr(err.msg, "too many parameters"));
	oci_challenges_clear(&cs);
	/* too many challenges */
	s[0] = '\0';
	for (i = 0; i <= OCI_CHAL_MAX; i++)
		strlcat(s, "Basic realm=x, ", OCI_HDR_MAX);
	assert_int_equal(oci_www_auth_parse(s, &cs, &err), -1);
	assert_non_null(strstr(err.msg, "too many challenges"));
	oci_challenges_clear(&cs);
	/* exactly the maximum is fine */
	s[0] = '\0';
	for (i = 0; i < OCI_CHAL_MAX; i++)
		strlcat(s, "Basic realm=x, ", OCI_HDR_MAX);
	assert_int_equal(oci_www_auth_parse(s, &cs, &err), 0);
	assert_int_equal(cs.n, OCI_CHAL_MAX);
	assert_string_equal(oci_challenge_param(oci_challenges_find(&cs,
	    "BASIC"), "REALM"), "x");
	assert_null(oci_challenges_find(&cs, "bearer"));
	oci_challenges_clear(&cs);
	free(s);
}

/* Every prefix of valid headers parses or fails cleanly (ASan checks). */
static void
test_www_auth_prefixes(void **state)
{
	struct oci_challenges	 cs;
	struct berr		 err;
	char			 buf[512];
	size_t			 i, j;

	(void)state;
	for (i = 0; i < nitems(wa_cases); i++) {
		for (j = 0; j <= strlen(wa_cases[i].in) && j < sizeof buf;
		    j++) {
			memcpy(buf, wa_cases[i].in, j);
			buf[j] = '\0';
			(void)oci_www_auth_parse(buf, &cs, &err);
			oci_challenges_clear(&cs);
		}
	}
}

struct link_case {
	const char	*in;
	const char	*want;
};

static const struct link_case link_cases[] = {
	{ "</v2/_catalog?last=b&n=100>; rel=\"next\"",
	  "https://r.example:5443/v2/_catalog?last=b&n=100" },
	{ "<https://r.example:5443/v2/x/tags/list?last=1>; rel=next",
	  "https://r.example:5443/v2/x/tags/list?last=1" },
	{ "</v2/a?p=1>; rel=\"prev\", </v2/a?p=3>; rel=\"next\"",
	  "https://r.example:5443/v2/a?p=3" },
	{ "</v2/a?p=3>; title=\"x, y\"; rel=\"prev next\"",
	  "https://r.example:5443/v2/a?p=3" },
	{ "</v2/a?p=1>; rel=\"prev\"", NULL },
	{ "<https://evil.example/v2/_catalog>; rel=\"next\"", NULL },
	{ "<https://r.example:5443.evil/v2/x>; rel=\"next\"", NULL },
	{ "<//evil.example/v2/x>; rel=\"next\"", NULL },
	{ "<http://r.example:5443/v2/x>; rel=\"next\"", NULL },
	{ "</v2/a b>; rel=\"next\"", NULL },
	{ "</v2/a; rel=\"next\"", NULL },
	{ "garbage", NULL },
	{ "", NULL },
	{ "</v2/a>; rel=\"next", NULL },
	{ "</v2/a>; rel", NULL },
};

static void
test_link(void **state)
{
	size_t	 i;
	char	*got;

	(void)state;
	assert_null(oci_link_next(NULL, "https://r.example:5443"));
	for (i = 0; i < nitems(link_cases); i++) {
		got = oci_link_next(link_cases[i].in, "https://r.example:5443");
		if (link_cases[i].want == NULL) {
			if (got != NULL)
				fail_msg("link case %zu: got %s", i, got);
		} else {
			if (got == NULL || strcmp(got, link_cases[i].want))
				fail_msg("link case %zu: got %s", i,
				    got ? got : "NULL");
		}
		free(got);
	}
}

static void
test_url(void **state)
{
	struct oci_url	u;
	struct berr	err;

	(void)state;
	assert_int_equal(oci_url_parse("https://CGR.dev", &u, &err), 0);
	assert_string_equal(u.host, "cgr.dev");
	assert_int_equal(u.port, 443);
	assert_int_equal(u.port_given, 0);
	assert_string_equal(u.path, "");
	assert_string_equal(u.origin, "https://cgr.dev");
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("HTTP://127.0.0.1:8443/v2/?x#y", &u,
	    &err), 0);
	assert_string_equal(u.scheme, "http");
	assert_int_equal(u.port, 8443);
	assert_string_equal(u.path, "/v2/");
	assert_string_equal(u.origin, "http://127.0.0.1:8443");
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://[::1]:9/", &u, &err), 0);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.path, "");
	oci_url_clear(&u);
	/* no scheme: refused with the reason */
	assert_int_equal(oci_url_parse("cgr.dev", &u, &err), -1);
	assert_int_equal(err.kind, BERR_USAGE);
	assert_non_null(strstr(err.msg, "https://cgr.dev"));
	assert_non_null(strstr(err.msg, "http://"));
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("ftp://x", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://u:p@x", &u, &err), -1);
	assert_non_null(strstr(err.msg, "credentials"));
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://x:0", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://x:65536", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://x:", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://a b", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://[::1", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("https://x%00y", &u, &err), -1);
	oci_url_clear(&u);
	assert_int_equal(oci_url_parse("", &u, &err), -1);
	oci_url_clear(&u);
}

static void
test_token(void **state)
{
	struct secret	*tok;
	struct berr	 err;
	long		 exp;
	const char	*s;

	(void)state;
	s = "{\"token\":\"abc\",\"expires_in\":300,\"issued_at\":\"x\"}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), 0);
	assert_string_equal(secret_str(tok), "abc");
	assert_int_equal(exp, 300);
	secret_free(tok);
	s = "{\"access_token\":\"def\"}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), 0);
	assert_string_equal(secret_str(tok), "def");
	assert_int_equal(exp, 60);
	secret_free(tok);
	s = "{\"token\":\"t\",\"expires_in\":5}";		/* min 60 */
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), 0);
	assert_int_equal(exp, 60);
	secret_free(tok);
	s = "{\"token\":\"t\",\"expires_in\":99999999}";	/* capped */
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), 0);
	assert_int_equal(exp, 86400);
	secret_free(tok);
	s = "{\"token\":\"\",\"access_token\":\"y\"}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
	s = "{\"token\":1}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
	assert_int_equal(err.kind, BERR_JSON);
	assert_null(tok);
	s = "{}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
	assert_non_null(strstr(err.msg, "no token"));
	s = "[\"token\"]";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
	s = "<html>";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
	assert_int_equal(oci_token_parse(NULL, 0, &tok, &exp, &err), -1);
	s = "{\"token\":\"t\",\"expires_in\":\"300\"}";
	assert_int_equal(oci_token_parse(s, strlen(s), &tok, &exp, &err), -1);
}

/* base64url of a JSON payload inside a fake header.payload.sig */
static struct secret *
jwt(const char *payload64)
{
	char		*s;
	struct secret	*t;

	xasprintf(&s, "eyJhbGciOiJub25lIn0.%s.c2ln", payload64);
	t = secret_new(s, strlen(s));
	free(s);
	return (t);
}

static void
test_jwt(void **state)
{
	struct secret	*t;
	char		*sum;

	(void)state;
	/* access: repository org/(star) pull */
	t = jwt("eyJhY2Nlc3MiOlt7InR5cGUiOiJyZXBvc2l0b3J5IiwibmFtZSI6Im9yZy8q"
	    "IiwiYWN0aW9ucyI6WyJwdWxsIl19XX0");
	assert_int_equal(oci_jwt_access(t, &sum), 1);
	assert_string_equal(sum, "repository:org/*:pull");
	free(sum);
	assert_int_equal(oci_jwt_grants(t, "repository", "org/nginx", "pull"),
	    1);
	assert_int_equal(oci_jwt_grants(t, "repository", "org/a/b", "pull"),
	    1);
	assert_int_equal(oci_jwt_grants(t, "repository", "other/x", "pull"),
	    0);
	assert_int_equal(oci_jwt_grants(t, "repository", "org/x", "push"), 0);
	assert_int_equal(oci_jwt_grants(t, "registry", "catalog", "*"), 0);
	secret_free(t);
	/* {"access":[]} */
	t = jwt("eyJhY2Nlc3MiOltdfQ");
	assert_int_equal(oci_jwt_access(t, &sum), 0);
	assert_string_equal(sum, "");
	free(sum);
	secret_free(t);
	/* not a JWT */
	t = secret_new("opaque-token", 12);
	assert_int_equal(oci_jwt_access(t, &sum), -1);
	assert_null(sum);
	assert_int_equal(oci_jwt_grants(t, "repository", "x", "pull"), -1);
	secret_free(t);
	t = jwt("!!!");
	assert_int_equal(oci_jwt_access(t, &sum), -1);
	secret_free(t);
	t = jwt("WzFd");	/* [1]: not an object */
	assert_int_equal(oci_jwt_access(t, &sum), -1);
	secret_free(t);
}

static void
test_base64(void **state)
{
	char	*d;
	size_t	 n;

	(void)state;
	d = oci_base64_decode("dXNlcjpwYXNz", 12, 0, &n);
	assert_non_null(d);
	assert_int_equal(n, 9);
	assert_string_equal(d, "user:pass");
	free(d);
	d = oci_base64_decode("YQ==", 4, 0, &n);
	assert_string_equal(d, "a");
	free(d);
	d = oci_base64_decode("YQ", 2, 1, &n);
	assert_string_equal(d, "a");
	free(d);
	d = oci_base64_decode("-_8", 3, 1, &n);
	assert_int_equal(n, 2);
	free(d);
	assert_null(oci_base64_decode("YQ", 2, 0, &n));	/* padding */
	assert_null(oci_base64_decode("Y$==", 4, 0, &n));
	assert_null(oci_base64_decode("Y", 1, 1, &n));
	d = oci_base64_decode("", 0, 0, &n);
	assert_int_equal(n, 0);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_www_auth_table),
		cmocka_unit_test(test_www_auth_bounds),
		cmocka_unit_test(test_www_auth_prefixes),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_jwt),
		cmocka_unit_test(test_base64),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
