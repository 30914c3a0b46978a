/* test-settings.c: config file load/save, permissions, parse errors, env. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
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
#include "berth/settings.h"
#include "berth/xmalloc.h"

static char	tmpdir[] = "/tmp/berth-test-settings.XXXXXX";

static char *
tpath(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", tmpdir, name);
	return (p);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int	fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
clear_env(void)
{
	unsetenv("HARBOR_URL");
	unsetenv("HARBOR_USERNAME");
	unsetenv("HARBOR_PASSWORD");
}

static int
setup(void **state)
{
	(void)state;
	clear_env();
	return (mkdtemp(tmpdir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	xasprintf(&cmd, "rm -rf '%s'", tmpdir);
	rc = system(cmd);
	free(cmd);
	return (rc == 0 ? 0 : -1);
}

static void
test_missing(void **state)
{
	struct settings	*s;
	struct berr	 err;
	char		*p = tpath("nonexistent/config");

	(void)state;
	assert_int_equal(settings_load(p, &s, &err), 0);
	assert_non_null(s);
	assert_string_equal(s->path, p);
	assert_null(s->current);
	assert_true(TAILQ_EMPTY(&s->contexts));
	assert_null(settings_current(s));
	settings_free(s);
	free(p);
}

static struct context *
make_ctx(const char *name, const char *url)
{
	struct context	*c = context_new(name);

	c->url = xstrdup(url);
	return (c);
}

static void
test_roundtrip(void **state)
{
	struct settings	*s, *l;
	struct context	*c;
	struct berr	 err;
	struct stat	 sb;
	char		*p = tpath("a/b/config"), *dir = tpath("a/b"), *cmd;

	(void)state;
	s = settings_new(p);
	c = make_ctx("prod", "https://harbor.example.com");
	c->user = xstrdup("admin");
	c->password_source = xstrdup("command:pass show harbor # not a comment");
	c->ca_file = xstrdup("/etc/ssl/ca.pem");
	c->read_only = 1;
	assert_int_equal(settings_add(s, c, &err), 0);
	c = make_ctx("lab", "http://127.0.0.1:8080");
	c->insecure = 1;
	c->password_source = xstrdup("env:LAB_PW");
	assert_int_equal(settings_add(s, c, &err), 0);
	assert_int_equal(settings_use(s, "lab", &err), 0);
	assert_int_equal(settings_save(s, &err), 0);
	settings_free(s);

	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0700);

	assert_int_equal(settings_load(p, &l, &err), 0);
	assert_string_equal(l->current, "lab");
	c = TAILQ_FIRST(&l->contexts);
	assert_string_equal(c->name, "prod");
	assert_string_equal(c->url, "https://harbor.example.com");
	assert_string_equal(c->user, "admin");
	assert_string_equal(c->password_source,
	    "command:pass show harbor # not a comment");
	assert_string_equal(c->ca_file, "/etc/ssl/ca.pem");
	assert_int_equal(c->insecure, 0);
	assert_int_equal(c->read_only, 1);
	c = TAILQ_NEXT(c, entry);
	assert_string_equal(c->name, "lab");
	assert_null(c->user);
	assert_null(c->ca_file);
	assert_int_equal(c->insecure, 1);
	assert_int_equal(c->read_only, 0);
	assert_null(TAILQ_NEXT(c, entry));
	assert_ptr_equal(settings_current(l), c);
	/* saving over an existing file keeps it 0600, no temp file left */
	assert_int_equal(settings_save(l, &err), 0);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	xasprintf(&cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	settings_free(l);
	free(p);
	free(dir);
}

static void
test_permissions(void **state)
{
	static const mode_t bad[] = { 0644, 0640, 0604, 0620, 0602, 0660 };
	static const mode_t good[] = { 0600, 0400 };
	struct settings	*s;
	struct berr	 err;
	char		*p = tpath("perm"), want[512];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(p, "[context a]\nurl = https://h\n", bad[i]);
		berr_clear(&err);
		s = (struct settings *)1;
		assert_int_equal(settings_load(p, &s, &err), -1);
		assert_null(s);
		assert_int_equal(err.kind, BERR_CONFIG);
		snprintf(want, sizeof want, "permissions %04o for '%s' are too "
		    "open", (unsigned)bad[i], p);
		if (strncmp(err.msg, want, strlen(want)) != 0)
			fail_msg("got \"%s\", want \"%s...\"", err.msg, want);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		write_file(p, "[context a]\nurl = https://h\n", good[i]);
		assert_int_equal(settings_load(p, &s, &err), 0);
		assert_non_null(settings_find(s, "a"));
		settings_free(s);
	}
	/* a directory is not a config */
	assert_int_equal(settings_load(tmpdir, &s, &err), -1);
	assert_int_equal(err.kind, BERR_CONFIG);
	/* owned by someone else (needs root to chown) */
	if (geteuid() == 0) {
		write_file(p, "", 0600);
		assert_int_equal(chown(p, 65534, 65534), 0);
		assert_int_equal(settings_load(p, &s, &err), -1);
		assert_non_null(strstr(err.msg, "bad owner"));
	}
	free(p);
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;		/* after "PATH:" */
	} cases[] = {
		{ "current = a\n[context a]\nurl = https://h\nusr = x\n",
		  "4: unknown key \"usr\"" },
		{ "# c\n\n[context a]\npassword = hunter2\n",
		  "4: passwords are not stored in the config: use "
		  "password_source = env:VAR, file:PATH, command:CMD or prompt" },
		{ "[context a]\ninsecure = maybe\n",
		  "2: expected true or false for \"insecure\"" },
		{ "[context a]\n[context a]\n", "2: duplicate context \"a\"" },
		{ "[context a\n", "1: expected ']'" },
		{ "[profile a]\n", "1: expected [context NAME]" },
		{ "[context a/b]\n", "1: invalid context name" },
		{ "url = https://h\n", "1: unknown key (outside a [context]) "
		  "\"url\"" },
		{ "\n\n\njust words\n", "4: expected key = value" },
		{ "[context a]\n = x\n", "2: missing key" },
		{ "[context a]\npassword_source = ftp:x\n",
		  "2: invalid password source: use env:VAR, file:PATH, "
		  "command:CMD, prompt or stdin" },
		{ "[context a]\npassword_source = env:\n",
		  "2: password source env: needs an argument" },
		{ "current = a b\n", "1: invalid context name" },
		{ "[context a]\nurl = https://h\rx\n", "2: control character" },
		{ "[context a]\nuser = \x1b[2J\n", "2: control character" },
	};
	struct settings	*s;
	struct berr	 err;
	char		*p = tpath("parse"), want[512];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file(p, cases[i].text, 0600);
		berr_clear(&err);
		if (settings_load(p, &s, &err) != -1)
			fail_msg("case %zu: loaded", i);
		assert_int_equal(err.kind, BERR_CONFIG);
		snprintf(want, sizeof want, "%s:%s", p, cases[i].want);
		if (strcmp(err.msg, want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i,
			    err.msg, want);
		/* the secret never shows in a message */
		assert_null(strstr(err.msg, "hunter2"));
	}
	/* what is accepted: spaces, CRLF, booleans spelled many ways */
	write_file(p, "  current=b  \r\n[ context b ]\r\n\turl =  https://h/x "
	    "\r\ninsecure = YES\nread_only=1\nuser =\n# [context c]\n", 0600);
	assert_int_equal(settings_load(p, &s, &err), 0);
	assert_string_equal(s->current, "b");
	assert_string_equal(settings_current(s)->url, "https://h/x");
	assert_int_equal(settings_current(s)->insecure, 1);
	assert_int_equal(settings_current(s)->read_only, 1);
	assert_null(settings_current(s)->user);
	assert_null(settings_find(s, "c"));
	settings_free(s);
	free(p);
}

static void
test_add_remove_use(void **state)
{
	struct settings	*s;
	struct context	*c;
	struct berr	 err;

	(void)state;
	s = settings_new("/nonexistent/config");
	assert_int_equal(settings_add(s, make_ctx("a", "https://a"), &err), 0);
	assert_int_equal(settings_add(s, make_ctx("b", "https://b"), &err), 0);
	assert_int_equal(settings_add(s, make_ctx("c", "https://c"), &err), 0);
	/* replace keeps the position */
	assert_int_equal(settings_add(s, make_ctx("b", "https://b2"), &err),
	    0);
	c = TAILQ_FIRST(&s->contexts);
	assert_string_equal(TAILQ_NEXT(c, entry)->name, "b");
	assert_string_equal(TAILQ_NEXT(c, entry)->url, "https://b2");
	assert_string_equal(TAILQ_LAST(&s->contexts, context_list)->name, "c");
	/* invalid names and values */
	assert_int_equal(settings_add(s, make_ctx("x y", "https://x"), &err),
	    -1);
	assert_int_equal(err.kind, BERR_CONFIG);
	assert_int_equal(settings_add(s, make_ctx("", "https://x"), &err), -1);
	assert_int_equal(settings_add(s, make_ctx("x", "https://x\n[context "
	    "y]"), &err), -1);
	c = make_ctx("x", "https://x");
	c->password_source = xstrdup("hunter2");
	assert_int_equal(settings_add(s, c, &err), -1);
	assert_null(settings_find(s, "x"));
	/* use, remove */
	assert_int_equal(settings_use(s, "nope", &err), -1);
	assert_string_equal(err.msg, "context \"nope\" not found");
	assert_null(settings_current(s));
	assert_int_equal(settings_use(s, "b", &err), 0);
	assert_string_equal(settings_current(s)->url, "https://b2");
	assert_int_equal(settings_remove(s, "a", &err), 0);
	assert_string_equal(s->current, "b");
	assert_int_equal(settings_remove(s, "b", &err), 0);
	assert_null(s->current);
	assert_null(settings_current(s));
	assert_int_equal(settings_remove(s, "b", &err), -1);
	assert_string_equal(TAILQ_FIRST(&s->contexts)->name, "c");
	settings_free(s);
	settings_free(NULL);
	context_free(NULL);
}

static void
test_resolve(void **state)
{
	struct settings	*s;
	struct context	*c, out;
	struct berr	 err;

	(void)state;
	clear_env();
	s = settings_new("/nonexistent/config");
	/* nothing configured: an empty context, context_check explains */
	assert_int_equal(settings_resolve(s, NULL, &out, &err), 0);
	assert_null(out.name);
	assert_null(out.url);
	assert_int_equal(context_check(&out, &err), -1);
	assert_non_null(strstr(err.msg, "no harbor url"));
	context_clear(&out);
	/* the only context is used even if not current */
	c = make_ctx("a", "https://a");
	c->user = xstrdup("alice");
	c->password_source = xstrdup("file:/run/pw");
	c->read_only = 1;
	assert_int_equal(settings_add(s, c, &err), 0);
	assert_int_equal(settings_resolve(s, NULL, &out, &err), 0);
	assert_string_equal(out.name, "a");
	assert_string_equal(out.password_source, "file:/run/pw");
	assert_int_equal(out.read_only, 1);
	context_clear(&out);
	/* two and none current: empty */
	assert_int_equal(settings_add(s, make_ctx("b", "https://b"), &err), 0);
	assert_int_equal(settings_resolve(s, NULL, &out, &err), 0);
	assert_null(out.name);
	context_clear(&out);
	assert_int_equal(settings_resolve(s, "b", &out, &err), 0);
	assert_string_equal(out.url, "https://b");
	context_clear(&out);
	assert_int_equal(settings_resolve(s, "zz", &out, &err), -1);
	assert_string_equal(err.msg, "context \"zz\" not found");
	context_clear(&out);
	assert_int_equal(settings_use(s, "a", &err), 0);
	/* environment overrides */
	setenv("HARBOR_URL", "https://env.example", 1);
	setenv("HARBOR_USERNAME", "robot", 1);
	setenv("HARBOR_PASSWORD", "hunter2", 1);
	assert_int_equal(settings_resolve(s, NULL, &out, &err), 0);
	assert_string_equal(out.name, "a");
	assert_string_equal(out.url, "https://env.example");
	assert_string_equal(out.user, "robot");
	assert_string_equal(out.password_source, "env:HARBOR_PASSWORD");
	assert_int_equal(out.read_only, 1);
	assert_int_equal(context_check(&out, &err), 0);
	context_clear(&out);
	/* the settings themselves are untouched */
	assert_string_equal(settings_find(s, "a")->url, "https://a");
	/* empty HARBOR_URL does not override */
	setenv("HARBOR_URL", "", 1);
	unsetenv("HARBOR_PASSWORD");
	assert_int_equal(settings_resolve(s, NULL, &out, &err), 0);
	assert_string_equal(out.url, "https://a");
	assert_string_equal(out.password_source, "file:/run/pw");
	context_clear(&out);
	/* a current context that no longer exists */
	free(s->current);
	s->current = xstrdup("gone");
	assert_int_equal(settings_resolve(s, NULL, &out, &err), -1);
	assert_non_null(strstr(err.msg, "\"gone\" not found"));
	context_clear(&out);
	clear_env();
	settings_free(s);
}

/* password_command = CMD, as the issue spells it: a command source. */
static void
test_password_command(void **state)
{
	struct settings	*s;
	struct berr	 err;
	const char	*txt = "[context a]\npassword_command = pass show h\n";
	const char	*bad = "[context a]\npassword_command =\n";

	(void)state;
	assert_int_equal(settings_load_buf("mem", txt, strlen(txt), &s, &err),
	    0);
	assert_string_equal(settings_find(s, "a")->password_source,
	    "command:pass show h");
	settings_free(s);
	assert_int_equal(settings_load_buf("mem", bad, strlen(bad), &s, &err),
	    -1);
	assert_null(s);
	assert_non_null(strstr(err.msg, "mem:2"));
}

static void
test_check(void **state)
{
	static const struct {
		const char	*url;
		int		 ok;
	} cases[] = {
		{ "https://h", 1 }, { "http://127.0.0.1:8080/", 1 },
		{ "HTTPS://H", 1 }, { "ftp://h", 0 }, { "https://", 0 },
		{ "https:///x", 0 }, { "harbor.example.com", 0 },
		{ "https://h x", 0 }, { "https://h\x1b", 0 }, { "", 0 },
	};
	struct context	c;
	struct berr	err;
	size_t		i;

	(void)state;
	memset(&c, 0, sizeof c);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c.url = (char *)(uintptr_t)cases[i].url;
		if ((context_check(&c, &err) == 0) != cases[i].ok)
			fail_msg("%s: wrong verdict", cases[i].url);
	}
	c.url = (char *)(uintptr_t)"https://h";
	c.user = (char *)(uintptr_t)"a:b";
	assert_int_equal(context_check(&c, &err), -1);
}

static void
test_default_path(void **state)
{
	char	*p;

	(void)state;
	setenv("BERTH_CONFIG", "/x/conf", 1);
	p = settings_default_path();
	assert_string_equal(p, "/x/conf");
	free(p);
	unsetenv("BERTH_CONFIG");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = settings_default_path();
	assert_string_equal(p, "/xdg/berth/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/u", 1);
	p = settings_default_path();
	assert_string_equal(p, "/home/u/.config/berth/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = settings_default_path();
	assert_string_equal(p, "/home/u/.config/berth/config");
	free(p);
}

static void
test_buf_and_limits(void **state)
{
	struct settings	*s;
	struct context	*c;
	struct berr	 err;
	struct stat	 sb;
	char		*p = tpath("real"), *link = tpath("link"), *big;
	int		 fd;

	(void)state;
	/* text without a final newline; NUL bytes refused with their line */
	assert_int_equal(settings_load_buf("mem", "[context a]\nurl = "
	    "https://a", 27, &s, &err), 0);
	assert_string_equal(settings_find(s, "a")->url, "https://a");
	settings_free(s);
	assert_int_equal(settings_load_buf("mem", "", 0, &s, &err), 0);
	settings_free(s);
	assert_int_equal(settings_load_buf("mem", "\n[context a]\nur\0l = "
	    "x\n", 21, &s, &err), -1);
	assert_null(s);
	assert_string_equal(err.msg, "mem:3: NUL byte");
	/* over 1 MiB */
	big = xmalloc(1024 * 1024 + 2);
	memset(big, '#', 1024 * 1024 + 1);
	big[1024 * 1024 + 1] = '\0';
	write_file(p, big, 0600);
	free(big);
	assert_int_equal(settings_load(p, &s, &err), -1);
	assert_non_null(strstr(err.msg, "file too large"));
	/* save through a symlink updates the target, keeps the link */
	write_file(p, "", 0600);
	unlink(link);
	assert_int_equal(symlink(p, link), 0);
	s = settings_new(link);
	assert_int_equal(settings_add(s, make_ctx("a", "https://a"), &err), 0);
	assert_int_equal(settings_save(s, &err), 0);
	settings_free(s);
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(settings_load(p, &s, &err), 0);
	assert_non_null(settings_find(s, "a"));
	/* a value changed behind settings_add's back is still refused */
	c = settings_find(s, "a");
	free(c->user);
	c->user = xstrdup("x\ncurrent = b");
	assert_int_equal(settings_save(s, &err), -1);
	assert_string_equal(err.msg,
	    "context \"a\": values cannot contain control characters");
	settings_free(s);
	/* an unwritable directory: an error, not a crash */
	if (geteuid() != 0) {
		s = settings_new("/proc/berth/config");
		assert_int_equal(settings_save(s, &err), -1);
		settings_free(s);
	}
	fd = open(p, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(fstat(fd, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	close(fd);
	free(p);
	free(link);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_add_remove_use),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_password_command),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_buf_and_limits),
	};

	return (cmocka_run_group_tests_name("settings", tests, setup,
	    teardown));
}
