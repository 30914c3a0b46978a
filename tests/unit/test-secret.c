/*
 * test-secret.c: every secret source (env, file, fd, command, prompt via a
 * pty, source strings), empty secrets, and wiping on free (freezero is
 * wrapped with ld --wrap to see what secret_free hands it).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "berth/berr.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

static char	tmpdir[] = "/tmp/berth-test-secret.XXXXXX";

/* freezero calls seen (ld --wrap=freezero). */
void	__real_freezero(void *, size_t);
void	__wrap_freezero(void *, size_t);
static struct {
	void	*p;
	size_t	 n;
} fz[8];
static u_int	nfz;

void
__wrap_freezero(void *p, size_t n)
{
	if (nfz < sizeof fz / sizeof fz[0]) {
		fz[nfz].p = p;
		fz[nfz].n = n;
		nfz++;
	}
	__real_freezero(p, n);
}

static char *
tpath(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", tmpdir, name);
	return (p);
}

static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int	fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int
setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);	/* as berth does */
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

/* Expect success with the given value. */
static void
expect_secret(int rc, struct secret *s, const struct berr *err,
    const char *want)
{
	if (rc != 0)
		fail_msg("failed: %s", err->msg);
	assert_non_null(s);
	assert_string_equal(secret_str(s), want);
	assert_int_equal(s->len, strlen(want));
}

/* Expect failure with a message starting with want (NULL: any). */
static void
expect_error(int rc, struct secret *s, const struct berr *err,
    const char *want)
{
	assert_int_equal(rc, -1);
	assert_null(s);
	assert_int_equal(err->kind, BERR_CONFIG);
	if (want != NULL && strncmp(err->msg, want, strlen(want)) != 0)
		fail_msg("got \"%s\", want \"%s...\"", err->msg, want);
	/* no test secret ever shows in an error */
	assert_null(strstr(err->msg, "hunter2"));
}

static void
test_basics(void **state)
{
	struct secret	*s, *d;
	void		*buf;

	(void)state;
	assert_string_equal(secret_str(NULL), "");
	assert_null(secret_dup(NULL));
	s = secret_new("abc\0def", 7);
	assert_int_equal(s->len, 7);
	assert_int_equal(s->s[7], '\0');
	assert_memory_equal(s->s, "abc\0def", 7);
	d = secret_dup(s);
	assert_ptr_not_equal(d->s, s->s);
	assert_memory_equal(d->s, s->s, 8);
	secret_free(d);
	/* free hands the string (with its NUL) and the struct to freezero */
	buf = s->s;
	nfz = 0;
	secret_free(s);
	assert_int_equal(nfz, 2);
	assert_ptr_equal(fz[0].p, buf);
	assert_int_equal(fz[0].n, 8);
	assert_ptr_equal(fz[1].p, s);
	assert_int_equal(fz[1].n, sizeof *s);
	secret_free(NULL);
	s = secret_new("", 0);
	assert_string_equal(secret_str(s), "");
	secret_free(s);
}

static void
test_env(void **state)
{
	struct secret	*s;
	struct berr	 err;
	int		 rc;

	(void)state;
	setenv("B2_TEST_PW", "hunter2\nsecond line", 1);
	rc = secret_from_env("B2_TEST_PW", &s, &err);
	expect_secret(rc, s, &err, "hunter2");
	secret_free(s);
	/* the variable stays set: unsetenv is the caller's business */
	assert_non_null(getenv("B2_TEST_PW"));
	setenv("B2_TEST_PW", "pw with spaces \r\n", 1);
	rc = secret_from_env("B2_TEST_PW", &s, &err);
	expect_secret(rc, s, &err, "pw with spaces ");
	secret_free(s);
	setenv("B2_TEST_PW", "", 1);
	rc = secret_from_env("B2_TEST_PW", &s, &err);
	expect_error(rc, s, &err, "environment variable B2_TEST_PW: empty");
	setenv("B2_TEST_PW", "\nhunter2", 1);
	rc = secret_from_env("B2_TEST_PW", &s, &err);
	expect_error(rc, s, &err, "environment variable B2_TEST_PW: empty");
	unsetenv("B2_TEST_PW");
	rc = secret_from_env("B2_TEST_PW", &s, &err);
	expect_error(rc, s, &err,
	    "environment variable B2_TEST_PW is not set");
}

static void
test_file(void **state)
{
	static const mode_t bad[] = { 0644, 0640, 0604, 0660, 0606 };
	struct secret	*s;
	struct berr	 err;
	char		*p = tpath("pw"), *big, want[512];
	size_t		 i;
	int		 rc;

	(void)state;
	write_file(p, "hunter2\r\nignored\n", 17, 0600);
	rc = secret_from_file(p, &s, &err);
	expect_secret(rc, s, &err, "hunter2");
	secret_free(s);
	write_file(p, "tok", 3, 0400);
	rc = secret_from_file(p, &s, &err);
	expect_secret(rc, s, &err, "tok");
	secret_free(s);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(p, "hunter2\n", 8, bad[i]);
		rc = secret_from_file(p, &s, &err);
		snprintf(want, sizeof want, "permissions %04o for password "
		    "file '%s' are too open", (unsigned)bad[i], p);
		expect_error(rc, s, &err, want);
	}
	write_file(p, "\n", 1, 0600);
	rc = secret_from_file(p, &s, &err);
	expect_error(rc, s, &err, "password file: empty secret");
	write_file(p, "a\0b\n", 4, 0600);
	rc = secret_from_file(p, &s, &err);
	expect_error(rc, s, &err, "password file: secret contains a NUL");
	big = xmalloc(SECRET_MAXREAD + 1);
	memset(big, 'a', SECRET_MAXREAD + 1);
	write_file(p, big, SECRET_MAXREAD, 0600);
	rc = secret_from_file(p, &s, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(s->len, SECRET_MAXREAD);
	secret_free(s);
	write_file(p, big, SECRET_MAXREAD + 1, 0600);
	rc = secret_from_file(p, &s, &err);
	expect_error(rc, s, &err, "password file: more than");
	free(big);
	rc = secret_from_file(tmpdir, &s, &err);
	expect_error(rc, s, &err, "password file");
	assert_non_null(strstr(err.msg, "not a regular file"));
	unlink(p);
	rc = secret_from_file(p, &s, &err);
	expect_error(rc, s, &err, "password file");
	assert_non_null(strstr(err.msg, "No such file"));
	/* owned by another user: group-readable is fine, world is not */
	if (geteuid() == 0) {
		write_file(p, "shared\n", 7, 0640);
		assert_int_equal(chown(p, 65534, 0), 0);
		rc = secret_from_file(p, &s, &err);
		expect_secret(rc, s, &err, "shared");
		secret_free(s);
		assert_int_equal(chmod(p, 0644), 0);
		rc = secret_from_file(p, &s, &err);
		expect_error(rc, s, &err, "permissions 0644");
	}
	free(p);
}

/* A child writes pad bytes, then data, into a pipe; returns the read end. */
static int
pipe_from_child(const char *data, size_t pad, pid_t *pid)
{
	int	fds[2];
	char	buf[4096];
	size_t	n;

	assert_int_equal(pipe(fds), 0);
	*pid = fork();
	assert_true(*pid != -1);
	if (*pid == 0) {
		close(fds[0]);
		memset(buf, 'x', sizeof buf);
		while (pad > 0) {
			n = pad < sizeof buf ? pad : sizeof buf;
			if (write(fds[1], buf, n) != (ssize_t)n)
				_exit(1);
			pad -= n;
		}
		if (write(fds[1], data, strlen(data)) !=
		    (ssize_t)strlen(data))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	return (fds[0]);
}

static void
test_fd(void **state)
{
	struct secret	*s;
	struct berr	 err;
	pid_t		 pid;
	int		 fd, rc, status;

	(void)state;
	fd = pipe_from_child("hunter2\nrest\n", 0, &pid);
	rc = secret_from_fd(fd, &s, &err);
	expect_secret(rc, s, &err, "hunter2");
	secret_free(s);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = pipe_from_child("no newline", 0, &pid);
	rc = secret_from_fd(fd, &s, &err);
	expect_secret(rc, s, &err, "no newline");
	secret_free(s);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = pipe_from_child("", 0, &pid);
	rc = secret_from_fd(fd, &s, &err);
	expect_error(rc, s, &err, "standard input: empty secret");
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = pipe_from_child("\n", SECRET_MAXREAD, &pid);
	rc = secret_from_fd(fd, &s, &err);
	expect_error(rc, s, &err, "standard input: more than 65536 bytes");
	close(fd);
	waitpid(pid, &status, 0);
	rc = secret_from_fd(-1, &s, &err);
	expect_error(rc, s, &err, "standard input: Bad file descriptor");
}

static void
test_command(void **state)
{
	struct secret	*s;
	struct berr	 err;
	char		*cmd;
	int		 rc, fd;

	(void)state;
	rc = secret_from_command("printf 'hunter2\\nmore'", &s, &err);
	expect_secret(rc, s, &err, "hunter2");
	secret_free(s);
	/* stdin is inherited, the environment too */
	setenv("B2_TEST_PW", "from-env", 1);
	rc = secret_from_command("echo \"$B2_TEST_PW\"", &s, &err);
	expect_secret(rc, s, &err, "from-env");
	secret_free(s);
	unsetenv("B2_TEST_PW");
	/* a failing command: its status, never its output */
	rc = secret_from_command("echo hunter2; exit 3", &s, &err);
	expect_error(rc, s, &err, "password command exited with status 3");
	rc = secret_from_command("kill -9 $$", &s, &err);
	expect_error(rc, s, &err, "password command killed by signal 9");
	rc = secret_from_command("/nonexistent/berth-helper 2>/dev/null", &s,
	    &err);
	expect_error(rc, s, &err, "password command exited with status 127");
	rc = secret_from_command("true", &s, &err);
	expect_error(rc, s, &err, "password command: empty secret");
	/* our other descriptors are not inherited */
	fd = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC */
	assert_true(fd > 2);
	xasprintf(&cmd, "if [ -e /proc/self/fd/%d ]; then echo leaked; "
	    "else echo closed; fi", fd);
	rc = secret_from_command(cmd, &s, &err);
	expect_secret(rc, s, &err, "closed");
	secret_free(s);
	free(cmd);
	close(fd);
	/* more than the cap: refused, whatever the command's fate */
	rc = secret_from_command("head -c 100000 /dev/zero | tr '\\0' a", &s,
	    &err);
	expect_error(rc, s, &err, "password command");
}

/* Read from fd into buf until needle appears or 10 s pass. */
static int
read_until(int fd, char *buf, size_t size, size_t *off, const char *needle)
{
	struct pollfd	pfd;
	time_t		deadline = time(NULL) + 10;
	ssize_t		n;

	while (time(NULL) < deadline) {
		buf[*off] = '\0';
		if (needle != NULL && strstr(buf, needle) != NULL)
			return (0);
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(fd, buf + *off, size - 1 - *off);
		if (n <= 0)
			return (needle == NULL ? 0 : -1);	/* EIO: closed */
		*off += n;
	}
	return (-1);
}

static void
test_prompt_pty(void **state)
{
	struct secret	*s;
	struct berr	 err;
	char		 buf[4096];
	size_t		 off = 0;
	pid_t		 pid;
	int		 master, status, rc;

	(void)state;
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid == -1)
		skip();		/* no ptys in this sandbox */
	if (pid == 0) {
		rc = secret_from_prompt("Harbor password: ", &s, &err);
		if (rc == 0 && strcmp(secret_str(s), "hunter2") == 0)
			_exit(0);
		_exit(1);
	}
	if (read_until(master, buf, sizeof buf, &off, "password: ") != 0)
		fail_msg("no prompt (got \"%s\")", buf);
	/* echo is off before the prompt is written */
	assert_int_equal(write(master, "hunter2\n", 8), 8);
	read_until(master, buf, sizeof buf, &off, NULL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(master);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_null(strstr(buf, "hunter2"));
}

/* --password-stdin at a terminal: a no-echo prompt, not a visible read. */
static void
test_fd_tty(void **state)
{
	struct secret	*s;
	struct berr	 err;
	char		 buf[4096];
	size_t		 off = 0;
	pid_t		 pid;
	int		 master, status, rc;

	(void)state;
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid == -1)
		skip();		/* no ptys in this sandbox */
	if (pid == 0) {
		rc = secret_from_fd(STDIN_FILENO, &s, &err);
		if (rc == 0 && strcmp(secret_str(s), "hunter2") == 0)
			_exit(0);
		_exit(1);
	}
	if (read_until(master, buf, sizeof buf, &off, "not echoed): ") != 0)
		fail_msg("no prompt (got \"%s\")", buf);
	assert_int_equal(write(master, "hunter2\n", 8), 8);
	read_until(master, buf, sizeof buf, &off, NULL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(master);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_null(strstr(buf, "hunter2"));
}

static void
test_prompt_no_tty(void **state)
{
	struct secret	*s;
	struct berr	 err;
	pid_t		 pid;
	int		 status, rc;

	(void)state;
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		setsid();		/* no controlling terminal */
		rc = secret_from_prompt("pw: ", &s, &err);
		if (rc == -1 && s == NULL && err.kind == BERR_CONFIG &&
		    strncmp(err.msg, "cannot read password", 20) == 0)
			_exit(0);
		_exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_source(void **state)
{
	static const struct {
		const char	*src;
		int		 ok;
	} checks[] = {
		{ "env:X", 1 }, { "file:/p", 1 }, { "command:pass x", 1 },
		{ "prompt", 1 }, { "stdin", 1 }, { "env:", 0 }, { "file:", 0 },
		{ "command:", 0 }, { "", 0 }, { "hunter2", 0 }, { "Env:X", 0 },
		{ "prompt:x", 0 }, { "envX", 0 },
	};
	struct secret	*s;
	struct berr	 err;
	char		*p = tpath("src"), *src;
	size_t		 i;
	pid_t		 pid;
	int		 rc, fd, saved, status;

	(void)state;
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		if ((secret_source_check(checks[i].src, &err) == 0) !=
		    checks[i].ok)
			fail_msg("\"%s\": wrong verdict", checks[i].src);
	}
	setenv("B2_TEST_PW", "e1", 1);
	rc = secret_from_source("env:B2_TEST_PW", NULL, &s, &err);
	expect_secret(rc, s, &err, "e1");
	secret_free(s);
	unsetenv("B2_TEST_PW");
	write_file(p, "f1\n", 3, 0600);
	xasprintf(&src, "file:%s", p);
	rc = secret_from_source(src, NULL, &s, &err);
	expect_secret(rc, s, &err, "f1");
	secret_free(s);
	free(src);
	rc = secret_from_source("command:echo c1", NULL, &s, &err);
	expect_secret(rc, s, &err, "c1");
	secret_free(s);
	/* stdin: through fd 0 */
	fd = pipe_from_child("s1\n", 0, &pid);
	saved = dup(STDIN_FILENO);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	rc = secret_from_source("stdin", NULL, &s, &err);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	close(fd);
	waitpid(pid, &status, 0);
	expect_secret(rc, s, &err, "s1");
	secret_free(s);
	rc = secret_from_source("hunter2", NULL, &s, &err);
	expect_error(rc, s, &err, "invalid password source");
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_fd),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_prompt_pty),
		cmocka_unit_test(test_fd_tty),
		cmocka_unit_test(test_prompt_no_tty),
		cmocka_unit_test(test_source),
	};

	return (cmocka_run_group_tests_name("secret", tests, setup,
	    teardown));
}
