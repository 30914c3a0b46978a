/*
 * secret.h: a password or token held in memory only as long as needed,
 * wiped with freezero() when freed, never logged or printed. The string
 * is NUL-terminated; len excludes the NUL.
 */
#ifndef BERTH_SECRET_H
#define BERTH_SECRET_H

#include <stddef.h>

struct berr;

struct secret {
	char	*s;
	size_t	 len;
};

struct secret	*secret_new(const char *, size_t);	/* copies; caller frees */
struct secret	*secret_dup(const struct secret *);	/* NULL ok */
void		 secret_free(struct secret *);		/* NULL ok; wipes */
const char	*secret_str(const struct secret *);	/* "" for NULL */

/*
 * Secret sources. Each returns 0 and sets *out (caller frees), or -1 with
 * err filled. Only the first line is kept; a trailing CR/LF is dropped;
 * an empty secret is an error.
 */
int	secret_from_env(const char *var, struct secret **, struct berr *);
int	secret_from_file(const char *path, struct secret **, struct berr *);
/* --*-stdin; when fd is a terminal, a no-echo prompt instead */
int	secret_from_fd(int fd, struct secret **, struct berr *);
int	secret_from_command(const char *cmd, struct secret **, struct berr *);
int	secret_from_prompt(const char *prompt, struct secret **,
	    struct berr *);			/* readpassphrase, no echo */
/*
 * "env:VAR", "file:PATH", "command:CMD", "prompt" or "stdin": the
 * password_source syntax of the config file.
 */
int	secret_from_source(const char *source, const char *prompt,
	    struct secret **, struct berr *);
/* Check the syntax of a source without reading anything: 0 or -1. */
int	secret_source_check(const char *source, struct berr *);
/*
 * Notes: file: refuses a file owned by the user and accessible by group or
 * others (mode & 077, like ssh's private keys), or a file owned by someone
 * else and accessible by others (mode & 007). command: runs /bin/sh -c CMD
 * (stdin and stderr inherited), keeps its stdout's first line; a non-zero
 * exit is an error naming the status, never the output or the command
 * line. fd/file/command read at most SECRET_MAXREAD bytes. These block:
 * call them before the loop runs or from a command handler.
 */
#define SECRET_MAXREAD	(64 * 1024)

#endif
