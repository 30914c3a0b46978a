/*
 * test-cli.c: the command table and output without a Harbor: longest
 * multi-word match, option parsing (command options win over globals,
 * --password refused, --x=v, --), ':' prompt word splitting, table
 * alignment and sanitising, json escaping of hostile strings.
 */
#include "config.h"

#include <sys/stat.h>

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
#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/cmd.h"
#include "berth/harbor.h"
#include "berth/secret.h"
#include "berth/session.h"
#include "berth/model.h"
#include "berth/output.h"
#include "berth/xmalloc.h"

/* Run fn on a memory stream; returns what it printed (caller frees). */
static char *
capture_table(struct output_table *t)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	output_table_print(t, f);
	fclose(f);
	return (buf);
}

static char *
capture_json(const cJSON *j)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	output_json(f, j);
	fclose(f);
	return (buf);
}

/* Words of line (cmd_split), for argv fixtures. */
static char **
words(const char *line, int *argc)
{
	struct berr	  err;
	char		**argv;

	assert_int_equal(cmd_split(line, argc, &argv, &err), 0);
	return (argv);
}

static const char *
find_name(const char *line, int *nw)
{
	const struct cmd_entry	*e;
	char			**argv;
	int			  argc;

	argv = words(line, &argc);
	e = cmd_find(argc, argv, nw);
	cmd_argv_free(argv);
	return (e != NULL ? e->name : NULL);
}

static void
test_find(void **state)
{
	int	nw;

	assert_string_equal(find_name("context add x", &nw), "context add");
	assert_int_equal(nw, 2);
	assert_string_equal(find_name("status -o json", &nw), "status");
	assert_int_equal(nw, 1);
	assert_null(find_name("context", &nw));
	assert_null(find_name("contextadd", &nw));
	assert_true(cmd_count() >= 6);
	assert_int_equal(cmd_help_group(NULL, "context"), 4);
}

static void
test_parse(void **state)
{
	char			**argv;
	const char		*url = NULL;
	int			 flag = 0;
	struct cmd_option	 opts[] = {
		{ "url", 0, CMD_OPT_STR, &url, NULL },
		{ "flag", 0, CMD_OPT_FLAG, &flag, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};
	struct cmd_ctx		 ctx;

	memset(&ctx, 0, sizeof ctx);
	argv = words("pos1 --url U --flag -o json --ca-file=F -c ctx -- "
	    "--pos2", &ctx.argc);
	ctx.argv = argv;
	assert_int_equal(cmd_parse(&ctx, opts, 0, -1), 0);
	assert_string_equal(url, "U");		/* the command's own --url */
	assert_null(ctx.gopts.url);
	assert_int_equal(flag, 1);
	assert_int_equal(ctx.format, OUTPUT_JSON);
	assert_string_equal(ctx.gopts.ca_file, "F");
	assert_string_equal(ctx.gopts.context, "ctx");
	assert_int_equal(ctx.nargs, 2);
	assert_string_equal(ctx.args[0], "pos1");
	assert_string_equal(ctx.args[1], "--pos2");
	free(ctx.args);
	cmd_argv_free(argv);
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char	*line;
		const char	*want;
	} cases[] = {
		{ "--password hunter2", "never accepted" },
		{ "--password=hunter2", "never accepted" },
		{ "--nosuch", "unknown option --nosuch" },
		{ "--url", "needs a value" },
		{ "--insecure=yes", "takes no value" },
		{ "-o xml", "table or json" },
		{ "a b", "unexpected argument \"b\"" },
		{ "--num x", "option --num: number invalid" },
	};
	char			**argv;
	struct cmd_ctx		 ctx;
	int64_t			 num;
	struct cmd_option	 opts[] = {
		{ "num", 0, CMD_OPT_INT, &num, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		memset(&ctx, 0, sizeof ctx);
		argv = words(cases[i].line, &ctx.argc);
		ctx.argv = argv;
		assert_int_equal(cmd_parse(&ctx, opts, 0, 1), -1);
		assert_int_equal(ctx.err.kind, BERR_USAGE);
		if (strstr(ctx.err.msg, cases[i].want) == NULL)
			fail_msg("case %zu: %s", i, ctx.err.msg);
		assert_null(strstr(ctx.err.msg, "hunter2"));
		free(ctx.args);
		cmd_argv_free(argv);
	}

	/* At the console's prompt only -o is accepted among the globals. */
	memset(&ctx, 0, sizeof ctx);
	argv = words("-c other", &ctx.argc);
	ctx.argv = argv;
	ctx.console = 1;
	assert_int_equal(cmd_parse(&ctx, NULL, 0, 0), -1);
	assert_non_null(strstr(ctx.err.msg, "console"));
	free(ctx.args);
	cmd_argv_free(argv);
}

static void
test_split(void **state)
{
	struct berr	  err;
	char		**argv;
	int		  argc;

	assert_int_equal(cmd_split("  get  registries -o json ", &argc,
	    &argv, &err), 0);
	assert_int_equal(argc, 4);
	assert_string_equal(argv[1], "registries");
	assert_null(argv[4]);
	cmd_argv_free(argv);
	assert_int_equal(cmd_split("a 'b c' \"d\\\"e\" f\\ g ''", &argc, &argv,
	    &err), 0);
	assert_int_equal(argc, 5);
	assert_string_equal(argv[1], "b c");
	assert_string_equal(argv[2], "d\"e");
	assert_string_equal(argv[3], "f g");
	assert_string_equal(argv[4], "");
	cmd_argv_free(argv);
	assert_int_equal(cmd_split("", &argc, &argv, &err), 0);
	assert_int_equal(argc, 0);
	assert_null(argv[0]);
	cmd_argv_free(argv);
	assert_int_equal(cmd_split("a 'b", &argc, &argv, &err), -1);
	assert_int_equal(err.kind, BERR_USAGE);
}

static void
test_table(void **state)
{
	static const char	*titles[] = { "NAME", "N" };
	struct output_table	*t;
	char			*s;

	t = output_table_new(2, titles);
	output_table_align_right(t, 1);
	output_table_addv(t, "a", "1");
	output_table_addv(t, "long\033[31mname", "100");
	output_table_addv(t, NULL, "22");
	assert_int_equal(output_table_rows(t), 3);
	s = capture_table(t);
	assert_string_equal(s,
	    "NAME                N\n"
	    "a                   1\n"
	    "long\\033[31mname  100\n"
	    "-                  22\n");
	free(s);
	output_table_free(t);
}

static void
test_json_escape(void **state)
{
	cJSON	*j, *back;
	char	*s;

	j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "k",
	    "a\xff" "b\xc2\x9b" "c\xe2\x80\xae" "d\x7f" "e\x1b" "f\xc3\xa9");
	s = capture_json(j);
	assert_null(strchr(s, '\x1b'));
	assert_null(strstr(s, "\xc2\x9b"));
	assert_null(strstr(s, "\xe2\x80\xae"));
	assert_non_null(strstr(s, "a\\ufffdb\\u009bc\\u202ed\\u007fe\\u001bf"
	    "\xc3\xa9"));
	back = cJSON_Parse(s);
	assert_non_null(back);		/* still valid json */
	cJSON_Delete(back);
	free(s);
	cJSON_Delete(j);
}

static void
test_time(void **state)
{
	char	buf[32];

	assert_string_equal(model_time_str(1714564800, buf, sizeof buf),
	    "2024-05-01T12:00:00Z");
	assert_string_equal(model_time_str(0, buf, sizeof buf), "");
}

/* A private config with two contexts, mode 0600; returns its path. */
static char *
session_config(void)
{
	char	*dir, *path;
	FILE	*f;

	dir = xstrdup("/tmp/berth-test-cli-XXXXXX");
	assert_non_null(mkdtemp(dir));
	xasprintf(&path, "%s/config", dir);
	free(dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("current = a\n\n[context a]\nurl = https://a.example/\n"
	    "user = ua\npassword_source = env:BERTH_TEST_PWA\n\n"
	    "[context b]\nurl = https://b.example\nuser = ub\n"
	    "password_source = env:BERTH_TEST_PWB\nread_only = true\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	return (path);
}

static void
session_config_rm(char *path)
{
	char	*dir;

	unlink(path);
	dir = xstrndup(path, strlen(path) - strlen("/config"));
	rmdir(dir);
	free(dir);
	free(path);
}

static void
test_session(void **state)
{
	struct session_opts	 so;
	struct session		*s;
	struct berr		 err;
	char			*cfg;

	cfg = session_config();
	unsetenv("HARBOR_URL");
	unsetenv("HARBOR_USERNAME");
	unsetenv("HARBOR_PASSWORD");
	setenv("BERTH_TEST_PWA", "secret-a", 1);
	setenv("BERTH_TEST_PWB", "secret-b", 1);
	memset(&so, 0, sizeof so);
	so.config = cfg;
	assert_int_equal(session_new(&so, &s, &err), 0);
	assert_false(s->connected);
	assert_int_equal(session_connect(s, &err), 0);
	assert_string_equal(s->ctx.name, "a");
	assert_string_equal(harbor_url(s->harbor), "https://a.example");
	assert_string_equal(harbor_user(s->harbor), "ua");
	assert_string_equal(secret_str(s->password), "secret-a");
	assert_false(s->read_only);
	assert_string_equal(session_label(s), "a (https://a.example/)");

	/* Switch: b is read-only in the config. */
	assert_int_equal(session_use(s, "b", &err), 0);
	assert_string_equal(harbor_user(s->harbor), "ub");
	assert_string_equal(secret_str(s->password), "secret-b");
	assert_true(s->read_only);
	assert_int_equal(session_use(s, "nosuch", &err), -1);
	session_free(s);

	/* Environment over the config, options over the environment. */
	setenv("HARBOR_URL", "https://env.example", 1);
	setenv("HARBOR_USERNAME", "uenv", 1);
	setenv("HARBOR_PASSWORD", "secret-env", 1);
	assert_int_equal(session_new(&so, &s, &err), 0);
	assert_int_equal(session_connect(s, &err), 0);
	assert_string_equal(harbor_url(s->harbor), "https://env.example");
	assert_string_equal(harbor_user(s->harbor), "uenv");
	assert_string_equal(secret_str(s->password), "secret-env");
	session_free(s);
	so.url = "https://opt.example/api/v2.0";
	so.user = "uopt";
	so.read_only = 1;
	assert_int_equal(session_new(&so, &s, &err), 0);
	assert_int_equal(session_connect(s, &err), 0);
	assert_string_equal(harbor_url(s->harbor), "https://opt.example");
	assert_string_equal(harbor_api_base(s->harbor),
	    "https://opt.example/api/v2.0");
	assert_string_equal(harbor_user(s->harbor), "uopt");
	assert_true(s->read_only);
	session_free(s);

	/* Bad inputs: the session stays disconnected. */
	memset(&so, 0, sizeof so);
	so.config = cfg;
	so.context = "nosuch";
	assert_int_equal(session_new(&so, &s, &err), 0);
	assert_int_equal(session_connect(s, &err), -1);
	assert_int_equal(err.kind, BERR_CONFIG);
	assert_false(s->connected);
	assert_null(s->harbor);
	session_free(s);
	so.context = NULL;
	so.ca_file = "/nonexistent/ca.pem";
	assert_int_equal(session_new(&so, &s, &err), 0);
	assert_int_equal(session_connect(s, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/ca.pem"));
	session_free(s);

	unsetenv("HARBOR_URL");
	unsetenv("HARBOR_USERNAME");
	unsetenv("HARBOR_PASSWORD");
	session_config_rm(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_session),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
