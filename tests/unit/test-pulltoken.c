/* test-pulltoken.c: chainctl output (text, json), docker config.json. */
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
#include "berth/pulltoken.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

struct pt_case {
	const char	*in;
	const char	*user;		/* NULL: must fail */
	const char	*pass;
};

static const struct pt_case chainctl_cases[] = {
	/* the seed guide's output */
	{ "To use this pull token in another environment, run this "
	  "command:\n\n    docker login \"cgr.dev\" --username "
	  "\"45a0c61ea6fd977f050c5fb9ac06a69eed764595/1f0c2a8b1e5e2d0e\" "
	  "--password \"eyJhbGciOi.JSUzI1NiJ9-x_y\"\n",
	  "45a0c61ea6fd977f050c5fb9ac06a69eed764595/1f0c2a8b1e5e2d0e",
	  "eyJhbGciOi.JSUzI1NiJ9-x_y" },
	{ "docker login cgr.dev --username=u1 --password=p1\r\n", "u1", "p1" },
	{ "docker login cgr.dev -u 'u 2' -p 'p\"2'", "u 2", "p\"2" },
	{ "noise\n  $ docker login \"cgr.dev\" --password \"pp\" "
	  "--username \"uu\"\nmore noise", "uu", "pp" },
	{ "docker login \"cgr.dev\" --username \"a\\\"b\" --password \"c\"",
	  "a\"b", "c" },
	/* json output (-o json), key variants */
	{ "{\"username\":\"ju\",\"password\":\"jp\"}", "ju", "jp" },
	{ "  {\"identity_id\":\"id1\",\"secret\":\"s1\",\"x\":[1]}", "id1", "s1" },
	{ "{\"pull_token\":{\"user\":\"nu\",\"token\":\"nt\"}}", "nu", "nt" },
	{ "[{\"identity\":\"au\",\"password\":\"ap\"}]", "au", "ap" },
	/* failures */
	{ "", NULL, NULL },
	{ "Error: not logged in\n", NULL, NULL },
	{ "docker login cgr.dev --username u\n", NULL, NULL },
	{ "docker login cgr.dev --username \"\" --password p\n", NULL, NULL },
	{ "docker login cgr.dev --username \"u --password p\n", NULL, NULL },
	{ "{\"username\":\"u\"}", NULL, NULL },
	{ "{\"username\":\"u\",\"password\":7}", NULL, NULL },
	{ "{\"username\":", NULL, NULL },
};

static void
test_chainctl_parse(void **state)
{
	struct pulltoken	 pt;
	struct berr		 err;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < nitems(chainctl_cases); i++) {
		const struct pt_case *c = &chainctl_cases[i];

		berr_clear(&err);
		rc = pulltoken_parse_chainctl(c->in, strlen(c->in), &pt, &err);
		if (c->user == NULL) {
			if (rc != -1)
				fail_msg("case %zu accepted", i);
			assert_int_not_equal(err.kind, BERR_NONE);
			/* the message never quotes the input */
			assert_null(strstr(err.msg, "--password \""));
		} else {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, err.msg);
			assert_string_equal(pt.user, c->user);
			assert_string_equal(secret_str(pt.password), c->pass);
		}
		pulltoken_clear(&pt);
	}
}

static const char docker_cfg[] =
    "{\n"
    "  \"auths\": {\n"
    "    \"https://index.docker.io/v1/\": {\"auth\": \"ZDp4\"},\n"
    "    \"https://cgr.dev/v2/\": {\"auth\": \"YWJjL2RlZjpwOnc9\"},\n"
    "    \"127.0.0.1:5443\": {\"username\": \"lu\", \"password\": \"lp\"},\n"
    "    \"bad.example\": {\"auth\": \"!!!\"},\n"
    "    \"nocolon.example\": {\"auth\": \"YWJj\"},\n"
    "    \"empty.example\": {}\n"
    "  },\n"
    "  \"credHelpers\": {\"helper.example\": \"ecr-login\"}\n"
    "}\n";

static void
test_docker_config(void **state)
{
	struct pulltoken	 pt;
	struct berr		 err;
	size_t			 n = strlen(docker_cfg);

	(void)state;
	/* base64 of "abc/def:p:w=" (password keeps its colons) */
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "cgr.dev", &pt, &err), 0);
	assert_string_equal(pt.user, "abc/def");
	assert_string_equal(secret_str(pt.password), "p:w=");
	assert_string_equal(pt.host, "cgr.dev");
	pulltoken_clear(&pt);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "CGR.dev", &pt, &err), 0);
	pulltoken_clear(&pt);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "127.0.0.1:5443", &pt, &err), 0);
	assert_string_equal(pt.user, "lu");
	assert_string_equal(secret_str(pt.password), "lp");
	pulltoken_clear(&pt);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "bad.example", &pt, &err), -1);
	assert_int_equal(err.kind, BERR_CONFIG);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "nocolon.example", &pt, &err), -1);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "empty.example", &pt, &err), -1);
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "helper.example", &pt, &err), -1);
	assert_non_null(strstr(err.msg, "credential helper"));
	assert_int_equal(pulltoken_parse_docker_config(docker_cfg, n,
	    "missing.example", &pt, &err), -1);
	assert_non_null(strstr(err.msg, "no credentials for"));
	assert_int_equal(pulltoken_parse_docker_config("{", 1,
	    "cgr.dev", &pt, &err), -1);
	assert_int_equal(pulltoken_parse_docker_config("[]", 2,
	    "cgr.dev", &pt, &err), -1);
	pulltoken_clear(&pt);
}

/* Read a config file through $DOCKER_CONFIG. */
static void
test_docker_config_file(void **state)
{
	struct pulltoken	 pt;
	struct berr		 err;
	char			 dir[] = "/tmp/test-pulltoken.XXXXXX", *path;
	FILE			*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	xasprintf(&path, "%s/config.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(docker_cfg, f);
	fclose(f);
	setenv("DOCKER_CONFIG", dir, 1);
	assert_int_equal(pulltoken_from_docker_config(NULL, "cgr.dev", &pt,
	    &err), 0);
	assert_string_equal(pt.user, "abc/def");
	pulltoken_clear(&pt);
	unlink(path);
	assert_int_equal(pulltoken_from_docker_config(NULL, "cgr.dev", &pt,
	    &err), -1);
	assert_int_equal(err.kind, BERR_CONFIG);
	rmdir(dir);
	free(path);
}

/* The chainctl stand-in from tests/integration/bin, run by fork/exec. */
static void
test_chainctl_run(void **state)
{
	struct pulltoken	 pt;
	struct berr		 err;
	const char		*top = getenv("top_srcdir");
	char			*prog, *args, buf[256];
	char			 tmp[] = "/tmp/test-pulltoken-args.XXXXXX";
	FILE			*f;
	int			 fd;

	(void)state;
	xasprintf(&prog, "%s/tests/integration/bin/chainctl",
	    top != NULL ? top : ".");
	if (access(prog, X_OK) != 0) {
		free(prog);
		skip();
	}
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	close(fd);
	setenv("BERTH_CHAINCTL", prog, 1);
	setenv("CHAINCTL_USER", "org123/tok456", 1);
	setenv("CHAINCTL_PASSWORD", "s3cr3t-v@lue", 1);
	setenv("CHAINCTL_ARGS_FILE", tmp, 1);
	unsetenv("CHAINCTL_FORMAT");
	unsetenv("CHAINCTL_FAIL");
	assert_int_equal(pulltoken_from_chainctl("berth-test.dev", &pt, &err),
	    0);
	assert_string_equal(pt.user, "org123/tok456");
	assert_string_equal(secret_str(pt.password), "s3cr3t-v@lue");
	pulltoken_clear(&pt);
	f = fopen(tmp, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof buf, f));
	fclose(f);
	xasprintf(&args, "auth configure-docker --parent berth-test.dev "
	    "--pull-token\n");
	assert_string_equal(buf, args);
	free(args);
	setenv("CHAINCTL_FORMAT", "json", 1);
	assert_int_equal(pulltoken_from_chainctl("berth-test.dev", &pt, &err),
	    0);
	assert_string_equal(pt.user, "org123/tok456");
	pulltoken_clear(&pt);
	setenv("CHAINCTL_FAIL", "3", 1);
	assert_int_equal(pulltoken_from_chainctl("x", &pt, &err), -1);
	assert_non_null(strstr(err.msg, "exit 3"));
	unsetenv("CHAINCTL_FAIL");
	/* a hostile org never reaches argv as an option */
	assert_int_equal(pulltoken_from_chainctl("--help", &pt, &err), -1);
	assert_int_equal(err.kind, BERR_USAGE);
	assert_int_equal(pulltoken_from_chainctl("a b", &pt, &err), -1);
	setenv("BERTH_CHAINCTL", "/nonexistent/chainctl", 1);
	assert_int_equal(pulltoken_from_chainctl("x", &pt, &err), -1);
	assert_non_null(strstr(err.msg, "not found"));
	unsetenv("BERTH_CHAINCTL");
	unlink(tmp);
	free(prog);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chainctl_parse),
		cmocka_unit_test(test_docker_config),
		cmocka_unit_test(test_docker_config_file),
		cmocka_unit_test(test_chainctl_run),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
