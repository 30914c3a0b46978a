/* secret.c: passwords and tokens in memory, and where they come from. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <readpassphrase.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "berth/secret.h"
#include "berth/berr.h"
#include "berth/xmalloc.h"

struct secret *
secret_new(const char *s, size_t len)
{
	struct secret	*sec;

	sec = xcalloc(1, sizeof *sec);
	sec->s = xmalloc(len + 1);
	if (len > 0)
		memcpy(sec->s, s, len);
	sec->s[len] = '\0';
	sec->len = len;
	return (sec);
}

struct secret *
secret_dup(const struct secret *sec)
{
	if (sec == NULL)
		return (NULL);
	return (secret_new(sec->s, sec->len));
}

void
secret_free(struct secret *sec)
{
	if (sec == NULL)
		return;
	freezero(sec->s, sec->len + 1);
	freezero(sec, sizeof *sec);
}

const char *
secret_str(const struct secret *sec)
{
	if (sec == NULL || sec->s == NULL)
		return ("");
	return (sec->s);
}

/*
 * Keep the first line of buf (len bytes) as the secret. A NUL inside the
 * line is refused (it would silently shorten the password).
 */
static int
secret_from_buf(const char *buf, size_t len, const char *what,
    struct secret **out, struct berr *err)
{
	const char	*nl;

	if ((nl = memchr(buf, '\n', len)) != NULL)
		len = nl - buf;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0)
		return (berr_set(err, BERR_CONFIG, 0, "%s: empty secret",
		    what));
	if (memchr(buf, '\0', len) != NULL)
		return (berr_set(err, BERR_CONFIG, 0,
		    "%s: secret contains a NUL byte", what));
	*out = secret_new(buf, len);
	return (0);
}

/*
 * Read fd to EOF into buf (size bytes, SECRET_MAXREAD); -1 with errno on a
 * read error, -2 if there is more than fits.
 */
static ssize_t
secret_read_all(int fd, char *buf, size_t size)
{
	size_t	off = 0;
	ssize_t	n;
	char	extra;

	for (;;) {
		if (off == size) {
			do
				n = read(fd, &extra, 1);
			while (n == -1 && errno == EINTR);
			explicit_bzero(&extra, sizeof extra);
			if (n == -1)
				return (-1);
			return (n == 0 ? (ssize_t)off : -2);
		}
		n = read(fd, buf + off, size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (-1);
		if (n == 0)
			return (off);
		off += n;
	}
}

static int
secret_read_fd(int fd, const char *what, struct secret **out,
    struct berr *err)
{
	char	*buf;
	ssize_t	 n;
	int	 rc;

	buf = xmalloc(SECRET_MAXREAD);
	n = secret_read_all(fd, buf, SECRET_MAXREAD);
	if (n == -1)
		rc = berr_set(err, BERR_CONFIG, 0, "%s: %s", what,
		    strerror(errno));
	else if (n == -2)
		rc = berr_set(err, BERR_CONFIG, 0, "%s: more than %d bytes",
		    what, SECRET_MAXREAD);
	else
		rc = secret_from_buf(buf, n, what, out, err);
	freezero(buf, SECRET_MAXREAD);
	return (rc);
}

int
secret_from_env(const char *var, struct secret **out, struct berr *err)
{
	const char	*v;
	char		 what[128];

	*out = NULL;
	snprintf(what, sizeof what, "environment variable %s", var);
	if ((v = getenv(var)) == NULL)
		return (berr_set(err, BERR_CONFIG, 0, "%s is not set", what));
	return (secret_from_buf(v, strlen(v), what, out, err));
}

int
secret_from_file(const char *path, struct secret **out, struct berr *err)
{
	struct stat	sb;
	int		fd, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return (berr_set(err, BERR_CONFIG, 0, "password file %s: %s",
		    path, strerror(errno)));
	if (fstat(fd, &sb) != 0) {
		rc = berr_set(err, BERR_CONFIG, 0, "password file %s: %s",
		    path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		rc = berr_set(err, BERR_CONFIG, 0,
		    "password file %s: not a regular file", path);
	} else if ((sb.st_uid == geteuid() && (sb.st_mode & 077) != 0) ||
	    (sb.st_mode & 007) != 0) {
		rc = berr_set(err, BERR_CONFIG, 0, "permissions %04o for "
		    "password file '%s' are too open: it must not be "
		    "accessible by others (chmod 600)",
		    (u_int)(sb.st_mode & 07777), path);
	} else
		rc = secret_read_fd(fd, "password file", out, err);
	close(fd);
	return (rc);
}

int
secret_from_fd(int fd, struct secret **out, struct berr *err)
{
	*out = NULL;
	/*
	 * --password-stdin typed at a terminal: ask without echo rather than
	 * read a line the terminal would show.
	 */
	if (fd >= 0 && isatty(fd))
		return (secret_from_prompt("Secret (not echoed): ", out, err));
	return (secret_read_fd(fd, "standard input", out, err));
}

/*
 * Child side of secret_from_command(): stdout to the pipe, stdin and
 * stderr inherited (a password manager may ask on the terminal), then exec.
 */
static void __attribute__((noreturn))
secret_command_child(const char *cmd, int wfd)
{
	if (wfd != STDOUT_FILENO) {
		if (dup2(wfd, STDOUT_FILENO) == -1)
			_exit(127);
		close(wfd);
	}
	closefrom(STDERR_FILENO + 1);	/* no sockets or ttys of ours */
	signal(SIGPIPE, SIG_DFL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static int
secret_command_status(int status, struct berr *err)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return (berr_set(err, BERR_CONFIG, 0, "password command "
		    "exited with status 127 (command not found?)"));
	if (WIFEXITED(status))
		return (berr_set(err, BERR_CONFIG, 0, "password command "
		    "exited with status %d", WEXITSTATUS(status)));
	if (WIFSIGNALED(status))
		return (berr_set(err, BERR_CONFIG, 0, "password command "
		    "killed by signal %d", WTERMSIG(status)));
	return (berr_set(err, BERR_CONFIG, 0, "password command failed"));
}

int
secret_from_command(const char *cmd, struct secret **out, struct berr *err)
{
	struct secret	*sec = NULL;
	pid_t		 pid;
	int		 fds[2], status, rc;

	*out = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return (berr_set(err, BERR_CONFIG, 0, "pipe: %s",
		    strerror(errno)));
	fflush(stdout);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (berr_set(err, BERR_CONFIG, 0, "fork: %s",
		    strerror(errno)));
	}
	if (pid == 0)
		secret_command_child(cmd, fds[1]);
	close(fds[1]);
	rc = secret_read_fd(fds[0], "password command", &sec, err);
	close(fds[0]);		/* a child still writing gets SIGPIPE */
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			secret_free(sec);
			return (berr_set(err, BERR_CONFIG, 0, "waitpid: %s",
			    strerror(errno)));
		}
	}
	if (secret_command_status(status, err) != 0) {
		secret_free(sec);	/* the status matters more */
		return (-1);
	}
	if (rc != 0)
		return (-1);
	*out = sec;
	return (0);
}

int
secret_from_prompt(const char *prompt, struct secret **out, struct berr *err)
{
	char	buf[1024];
	int	rc;

	*out = NULL;
	if (readpassphrase(prompt != NULL ? prompt : "Password: ", buf,
	    sizeof buf, RPP_REQUIRE_TTY | RPP_ECHO_OFF) == NULL) {
		rc = berr_set(err, BERR_CONFIG, 0, "cannot read password: %s",
		    errno == ENOTTY || errno == ENXIO ? "no terminal" :
		    strerror(errno));
	} else
		rc = secret_from_buf(buf, strlen(buf), "password prompt", out,
		    err);
	explicit_bzero(buf, sizeof buf);
	return (rc);
}

/* Split "kind:arg"; returns the argument or NULL if source is not kind. */
static const char *
secret_source_arg(const char *source, const char *kind)
{
	size_t	len = strlen(kind);

	if (strncmp(source, kind, len) == 0 && source[len] == ':')
		return (source + len + 1);
	return (NULL);
}

int
secret_source_check(const char *source, struct berr *err)
{
	static const char *const kinds[] = { "env", "file", "command" };
	const char	*arg;
	size_t		 i;

	if (source == NULL || *source == '\0')
		return (berr_set(err, BERR_CONFIG, 0, "empty password source"));
	if (strcmp(source, "prompt") == 0 || strcmp(source, "stdin") == 0)
		return (0);
	for (i = 0; i < nitems(kinds); i++) {
		if ((arg = secret_source_arg(source, kinds[i])) == NULL)
			continue;
		if (*arg == '\0')
			return (berr_set(err, BERR_CONFIG, 0,
			    "password source %s: needs an argument", kinds[i]));
		return (0);
	}
	return (berr_set(err, BERR_CONFIG, 0, "invalid password source: use "
	    "env:VAR, file:PATH, command:CMD, prompt or stdin"));
}

int
secret_from_source(const char *source, const char *prompt,
    struct secret **out, struct berr *err)
{
	const char	*arg;

	*out = NULL;
	if (secret_source_check(source, err) != 0)
		return (-1);
	if (strcmp(source, "prompt") == 0)
		return (secret_from_prompt(prompt, out, err));
	if (strcmp(source, "stdin") == 0)
		return (secret_from_fd(STDIN_FILENO, out, err));
	if ((arg = secret_source_arg(source, "env")) != NULL)
		return (secret_from_env(arg, out, err));
	if ((arg = secret_source_arg(source, "file")) != NULL)
		return (secret_from_file(arg, out, err));
	arg = secret_source_arg(source, "command");
	return (secret_from_command(arg, out, err));
}
