/* settings.c: the configuration file (contexts), see settings.h. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "berth/settings.h"
#include "berth/berr.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define SETTINGS_MAXSIZE	(1024 * 1024)	/* a config is a few lines */
#define CONTEXT_NAMEMAX		64

/* Parser state for one file. */
struct settings_parse {
	const char	*path;
	u_int		 line;
	struct context	*ctx;		/* section being read, NULL at top */
};

char *
settings_default_path(void)
{
	const char	*env, *home;
	struct passwd	*pw;
	char		*path;

	if ((env = getenv("BERTH_CONFIG")) != NULL && *env != '\0')
		return (xstrdup(env));
	env = getenv("XDG_CONFIG_HOME");
	if (env != NULL && *env == '/') {
		xasprintf(&path, "%s/berth/config", env);
		return (path);
	}
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		if ((pw = getpwuid(getuid())) != NULL)
			home = pw->pw_dir;
		else
			home = "/";
	}
	xasprintf(&path, "%s/.config/berth/config", home);
	return (path);
}

struct settings *
settings_new(const char *path)
{
	struct settings	*s;

	s = xcalloc(1, sizeof *s);
	s->path = path != NULL ? xstrdup(path) : settings_default_path();
	TAILQ_INIT(&s->contexts);
	return (s);
}

void
settings_free(struct settings *s)
{
	struct context	*ctx;

	if (s == NULL)
		return;
	while ((ctx = TAILQ_FIRST(&s->contexts)) != NULL) {
		TAILQ_REMOVE(&s->contexts, ctx, entry);
		context_free(ctx);
	}
	free(s->current);
	free(s->path);
	free(s);
}

int
context_name_valid(const char *name)
{
	size_t	i;

	if (name == NULL || *name == '\0' || strlen(name) > CONTEXT_NAMEMAX)
		return (0);
	for (i = 0; name[i] != '\0'; i++) {
		if (!isalnum((u_char)name[i]) && strchr("._-", name[i]) == NULL)
			return (0);
	}
	return (1);
}

struct context *
context_new(const char *name)
{
	struct context	*ctx;

	ctx = xcalloc(1, sizeof *ctx);
	if (name != NULL)
		ctx->name = xstrdup(name);
	return (ctx);
}

static char *
settings_dupnull(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

struct context *
context_dup(const struct context *src)
{
	struct context	*ctx;

	ctx = xcalloc(1, sizeof *ctx);
	ctx->name = settings_dupnull(src->name);
	ctx->url = settings_dupnull(src->url);
	ctx->user = settings_dupnull(src->user);
	ctx->password_source = settings_dupnull(src->password_source);
	ctx->ca_file = settings_dupnull(src->ca_file);
	ctx->insecure = src->insecure;
	ctx->read_only = src->read_only;
	return (ctx);
}

void
context_clear(struct context *ctx)
{
	if (ctx == NULL)
		return;
	free(ctx->name);
	free(ctx->url);
	free(ctx->user);
	free(ctx->password_source);
	free(ctx->ca_file);
	ctx->name = ctx->url = ctx->user = NULL;
	ctx->password_source = ctx->ca_file = NULL;
	ctx->insecure = ctx->read_only = 0;
}

void
context_free(struct context *ctx)
{
	if (ctx == NULL)
		return;
	context_clear(ctx);
	free(ctx);
}

struct context *
settings_find(const struct settings *s, const char *name)
{
	struct context	*ctx;

	if (name == NULL)
		return (NULL);
	TAILQ_FOREACH(ctx, &s->contexts, entry) {
		if (strcmp(ctx->name, name) == 0)
			return (ctx);
	}
	return (NULL);
}

struct context *
settings_current(const struct settings *s)
{
	return (settings_find(s, s->current));
}

/* 1 if s has a control character other than tab (or DEL). */
static int
settings_has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if (((u_char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return (1);
	}
	return (0);
}

/* A value that reads back the same: no line breaks or other controls. */
static int
settings_value_ok(const char *v)
{
	return (v == NULL || !settings_has_control(v));
}

int
settings_add(struct settings *s, struct context *ctx, struct berr *err)
{
	struct context	*old;

	if (!context_name_valid(ctx->name)) {
		berr_set(err, BERR_CONFIG, 0, "invalid context name (use 1-%d "
		    "letters, digits, '.', '_' or '-')", CONTEXT_NAMEMAX);
		context_free(ctx);
		return (-1);
	}
	if (!settings_value_ok(ctx->url) || !settings_value_ok(ctx->user) ||
	    !settings_value_ok(ctx->password_source) ||
	    !settings_value_ok(ctx->ca_file)) {
		berr_set(err, BERR_CONFIG, 0,
		    "context \"%s\": values cannot contain control characters",
		    ctx->name);
		context_free(ctx);
		return (-1);
	}
	if (ctx->password_source != NULL &&
	    secret_source_check(ctx->password_source, err) != 0) {
		berr_prefix(err, "context \"%s\"", ctx->name);
		context_free(ctx);
		return (-1);
	}
	if ((old = settings_find(s, ctx->name)) != NULL) {
		TAILQ_INSERT_BEFORE(old, ctx, entry);
		TAILQ_REMOVE(&s->contexts, old, entry);
		context_free(old);
	} else
		TAILQ_INSERT_TAIL(&s->contexts, ctx, entry);
	return (0);
}

int
settings_remove(struct settings *s, const char *name, struct berr *err)
{
	struct context	*ctx;

	if ((ctx = settings_find(s, name)) == NULL)
		return (berr_set(err, BERR_CONFIG, 0,
		    "context \"%s\" not found", name));
	if (s->current != NULL && strcmp(s->current, name) == 0) {
		free(s->current);
		s->current = NULL;
	}
	TAILQ_REMOVE(&s->contexts, ctx, entry);
	context_free(ctx);
	return (0);
}

int
settings_use(struct settings *s, const char *name, struct berr *err)
{
	if (settings_find(s, name) == NULL)
		return (berr_set(err, BERR_CONFIG, 0,
		    "context \"%s\" not found", name));
	free(s->current);
	s->current = xstrdup(name);
	return (0);
}

/* Trim spaces at both ends, in place. */
static char *
settings_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return (s);
}

static int
settings_parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t	i;

	for (i = 0; i < nitems(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

static int
settings_perror(struct settings_parse *p, struct berr *err, const char *what,
    const char *arg)
{
	return (berr_set(err, BERR_CONFIG, 0, "%s:%u: %s%s%s%s", p->path,
	    p->line, what, arg != NULL ? " \"" : "", arg != NULL ? arg : "",
	    arg != NULL ? "\"" : ""));
}

/* "[context NAME]" */
static int
settings_parse_section(struct settings *s, struct settings_parse *p,
    char *line, struct berr *err)
{
	char	*name, *end;

	end = line + strlen(line) - 1;
	if (*end != ']')
		return (settings_perror(p, err, "expected ']'", NULL));
	*end = '\0';
	line = settings_trim(line + 1);
	if (strncmp(line, "context", 7) != 0 ||
	    (line[7] != ' ' && line[7] != '\t'))
		return (settings_perror(p, err,
		    "expected [context NAME]", NULL));
	name = settings_trim(line + 7);
	if (!context_name_valid(name))
		return (settings_perror(p, err, "invalid context name", NULL));
	if (settings_find(s, name) != NULL)
		return (settings_perror(p, err, "duplicate context", name));
	p->ctx = context_new(name);
	TAILQ_INSERT_TAIL(&s->contexts, p->ctx, entry);
	return (0);
}

static int
settings_set_string(char **field, const char *value)
{
	free(*field);
	*field = *value != '\0' ? xstrdup(value) : NULL;
	return (0);
}

/* "key = value" inside a [context] section. */
static int
settings_parse_ctx_key(struct settings_parse *p, const char *key,
    const char *value, struct berr *err)
{
	struct context	*ctx = p->ctx;
	int		*flag;

	if (strcmp(key, "url") == 0)
		return (settings_set_string(&ctx->url, value));
	if (strcmp(key, "user") == 0)
		return (settings_set_string(&ctx->user, value));
	if (strcmp(key, "ca_file") == 0)
		return (settings_set_string(&ctx->ca_file, value));
	if (strcmp(key, "password_source") == 0) {
		if (*value != '\0' && secret_source_check(value, err) != 0)
			return (berr_prefix(err, "%s:%u", p->path, p->line));
		return (settings_set_string(&ctx->password_source, value));
	}
	if (strcmp(key, "password_command") == 0) {
		/* kubectl/harbor-cli spelling: password_source = command:CMD */
		if (*value == '\0')
			return (settings_perror(p, err, "empty", key));
		free(ctx->password_source);
		xasprintf(&ctx->password_source, "command:%s", value);
		return (0);
	}
	if (strcmp(key, "password") == 0)
		return (settings_perror(p, err, "passwords are not stored in "
		    "the config: use password_source = env:VAR, file:PATH, "
		    "command:CMD or prompt", NULL));
	if (strcmp(key, "insecure") == 0)
		flag = &ctx->insecure;
	else if (strcmp(key, "read_only") == 0)
		flag = &ctx->read_only;
	else
		return (settings_perror(p, err, "unknown key", key));
	if (settings_parse_bool(value, flag) != 0)
		return (settings_perror(p, err, "expected true or false for",
		    key));
	return (0);
}

static int
settings_parse_line(struct settings *s, struct settings_parse *p, char *line,
    struct berr *err)
{
	char	*key, *value, *eq;

	line = settings_trim(line);
	if (*line == '\0' || *line == '#')
		return (0);
	if (settings_has_control(line))
		return (settings_perror(p, err, "control character", NULL));
	if (*line == '[')
		return (settings_parse_section(s, p, line, err));
	if ((eq = strchr(line, '=')) == NULL)
		return (settings_perror(p, err, "expected key = value", NULL));
	*eq = '\0';
	key = settings_trim(line);
	value = settings_trim(eq + 1);
	if (*key == '\0')
		return (settings_perror(p, err, "missing key", NULL));
	if (p->ctx != NULL)
		return (settings_parse_ctx_key(p, key, value, err));
	if (strcmp(key, "current") == 0) {
		if (*value != '\0' && !context_name_valid(value))
			return (settings_perror(p, err,
			    "invalid context name", NULL));
		return (settings_set_string(&s->current, value));
	}
	return (settings_perror(p, err, "unknown key (outside a [context])",
	    key));
}

/* Parse len bytes of config text into s (which is empty). */
static int
settings_parse_buf(struct settings *s, const char *buf, size_t len,
    struct berr *err)
{
	struct settings_parse	 p;
	const char		*nl;
	char			*line;
	size_t			 n;
	int			 rc = 0;

	memset(&p, 0, sizeof p);
	p.path = s->path;
	while (len > 0 && rc == 0) {
		p.line++;
		n = (nl = memchr(buf, '\n', len)) != NULL ? (size_t)(nl - buf) :
		    len;
		if (memchr(buf, '\0', n) != NULL)
			rc = settings_perror(&p, err, "NUL byte", NULL);
		else {
			line = xstrndup(buf, n);
			rc = settings_parse_line(s, &p, line, err);
			free(line);
		}
		if (nl != NULL)
			n++;
		buf += n;
		len -= n;
	}
	return (rc);
}

int
settings_load_buf(const char *path, const char *buf, size_t len,
    struct settings **out, struct berr *err)
{
	struct settings	*s;

	*out = NULL;
	s = settings_new(path);
	if (settings_parse_buf(s, buf, len, err) != 0) {
		settings_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

/* Like ssh: the file must be ours and not accessible by group or others. */
static int
settings_check_perms(const char *path, int fd, struct berr *err)
{
	struct stat	sb;

	if (fstat(fd, &sb) != 0)
		return (berr_set(err, BERR_CONFIG, 0, "%s: %s", path,
		    strerror(errno)));
	if (!S_ISREG(sb.st_mode))
		return (berr_set(err, BERR_CONFIG, 0, "%s: not a regular file",
		    path));
	if (sb.st_uid != geteuid())
		return (berr_set(err, BERR_CONFIG, 0, "bad owner for '%s': "
		    "it must belong to uid %lu", path, (u_long)geteuid()));
	if ((sb.st_mode & 077) != 0)
		return (berr_set(err, BERR_CONFIG, 0, "permissions %04o for "
		    "'%s' are too open: it must not be accessible by others "
		    "(chmod 600)", (u_int)(sb.st_mode & 07777), path));
	if (sb.st_size > SETTINGS_MAXSIZE)
		return (berr_set(err, BERR_CONFIG, 0, "%s: file too large",
		    path));
	return (0);
}

/* Read the whole (small) file; NULL with err on a read error. */
static char *
settings_read(const char *path, int fd, size_t *lenp, struct berr *err)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;

	buf = xmalloc(SETTINGS_MAXSIZE + 1);
	for (;;) {
		n = read(fd, buf + len, SETTINGS_MAXSIZE + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			berr_set(err, BERR_CONFIG, 0, "%s: %s", path,
			    strerror(errno));
			free(buf);
			return (NULL);
		}
		if (n == 0)
			break;
		len += n;
		if (len > SETTINGS_MAXSIZE) {
			berr_set(err, BERR_CONFIG, 0, "%s: file too large",
			    path);
			free(buf);
			return (NULL);
		}
	}
	*lenp = len;
	return (buf);
}

int
settings_load(const char *path, struct settings **out, struct berr *err)
{
	struct settings	*s;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 fd, rc = -1;

	*out = NULL;
	s = settings_new(path);
	if ((fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		if (errno == ENOENT) {
			*out = s;
			return (0);
		}
		berr_set(err, BERR_CONFIG, 0, "%s: %s", s->path,
		    strerror(errno));
		settings_free(s);
		return (-1);
	}
	if (settings_check_perms(s->path, fd, err) == 0 &&
	    (buf = settings_read(s->path, fd, &len, err)) != NULL)
		rc = settings_parse_buf(s, buf, len, err);
	close(fd);
	free(buf);
	if (rc != 0) {
		settings_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

static int
settings_mkdir(const char *dir, struct berr *err)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return (berr_set(err, BERR_CONFIG, 0, "mkdir %s: %s", dir,
		    strerror(errno)));
	return (0);
}

/* mkdir -p for the directory part of path, new directories 0700. */
static int
settings_mkdirs(const char *path, struct berr *err)
{
	char	*dir, *p;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		free(dir);
		return (0);
	}
	*p = '\0';
	for (p = dir + 1; *p != '\0' && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		rc = settings_mkdir(dir, err);
		*p = '/';
	}
	if (rc == 0)
		rc = settings_mkdir(dir, err);
	free(dir);
	return (rc);
}

static void
settings_write_str(FILE *f, const char *key, const char *value)
{
	if (value != NULL)
		fprintf(f, "%s = %s\n", key, value);
}

static void
settings_write(const struct settings *s, FILE *f)
{
	struct context	*ctx;

	fprintf(f, "# berth configuration; see berth(1). Keep it mode 0600.\n");
	if (s->current != NULL)
		fprintf(f, "current = %s\n", s->current);
	TAILQ_FOREACH(ctx, &s->contexts, entry) {
		fprintf(f, "\n[context %s]\n", ctx->name);
		settings_write_str(f, "url", ctx->url);
		settings_write_str(f, "user", ctx->user);
		settings_write_str(f, "password_source", ctx->password_source);
		settings_write_str(f, "ca_file", ctx->ca_file);
		fprintf(f, "insecure = %s\n", ctx->insecure ? "true" : "false");
		fprintf(f, "read_only = %s\n", ctx->read_only ? "true" :
		    "false");
	}
}

/* Everything written must read back the same. */
static int
settings_writable(const struct settings *s, struct berr *err)
{
	struct context	*ctx;

	if (s->current != NULL && !context_name_valid(s->current))
		return (berr_set(err, BERR_CONFIG, 0,
		    "invalid current context name"));
	TAILQ_FOREACH(ctx, &s->contexts, entry) {
		if (!context_name_valid(ctx->name))
			return (berr_set(err, BERR_CONFIG, 0,
			    "invalid context name"));
		if (!settings_value_ok(ctx->url) ||
		    !settings_value_ok(ctx->user) ||
		    !settings_value_ok(ctx->password_source) ||
		    !settings_value_ok(ctx->ca_file))
			return (berr_set(err, BERR_CONFIG, 0,
			    "context \"%s\": values cannot contain control "
			    "characters", ctx->name));
	}
	return (0);
}

/* Write into a new temp file next to target; returns its name or NULL. */
static char *
settings_write_tmp(const struct settings *s, const char *target,
    struct berr *err)
{
	char	*tmp;
	FILE	*f;
	int	 fd, rc;

	xasprintf(&tmp, "%s.XXXXXX", target);
	if ((fd = mkstemp(tmp)) == -1) {
		berr_set(err, BERR_CONFIG, 0, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return (NULL);
	}
	if (fchmod(fd, 0600) != 0 || (f = fdopen(fd, "w")) == NULL) {
		berr_set(err, BERR_CONFIG, 0, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	settings_write(s, f);
	rc = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	if (fclose(f) != 0 || rc) {
		berr_set(err, BERR_CONFIG, 0, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	return (tmp);
fail:
	unlink(tmp);
	free(tmp);
	return (NULL);
}

int
settings_save(const struct settings *s, struct berr *err)
{
	struct stat	 sb;
	char		*tmp, *target;
	int		 rc = 0;

	if (settings_writable(s, err) != 0)
		return (-1);
	/* a symlinked config (dotfiles) is updated where it points */
	target = NULL;
	if (lstat(s->path, &sb) == 0 && S_ISLNK(sb.st_mode))
		target = realpath(s->path, NULL);
	if (target == NULL)
		target = xstrdup(s->path);
	if (settings_mkdirs(target, err) != 0 ||
	    (tmp = settings_write_tmp(s, target, err)) == NULL) {
		free(target);
		return (-1);
	}
	if (rename(tmp, target) != 0) {
		rc = berr_set(err, BERR_CONFIG, 0, "%s: %s", target,
		    strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(target);
	return (rc);
}

static void
settings_override(char **field, const char *var)
{
	const char	*v;

	if ((v = getenv(var)) != NULL && *v != '\0') {
		free(*field);
		*field = xstrdup(v);
	}
}

int
settings_resolve(const struct settings *s, const char *name,
    struct context *out, struct berr *err)
{
	struct context	*ctx = NULL, *tmp;

	memset(out, 0, sizeof *out);
	if (name != NULL) {
		if ((ctx = settings_find(s, name)) == NULL)
			return (berr_set(err, BERR_CONFIG, 0,
			    "context \"%s\" not found", name));
	} else if (s->current != NULL) {
		if ((ctx = settings_find(s, s->current)) == NULL)
			return (berr_set(err, BERR_CONFIG, 0, "current context "
			    "\"%s\" not found in %s", s->current, s->path));
	} else if ((ctx = TAILQ_FIRST(&s->contexts)) != NULL &&
	    TAILQ_NEXT(ctx, entry) != NULL)
		ctx = NULL;		/* several and none current */
	if (ctx != NULL) {
		tmp = context_dup(ctx);
		*out = *tmp;
		free(tmp);
	}
	memset(&out->entry, 0, sizeof out->entry);
	settings_override(&out->url, "HARBOR_URL");
	settings_override(&out->user, "HARBOR_USERNAME");
	if (getenv("HARBOR_PASSWORD") != NULL) {
		free(out->password_source);
		out->password_source = xstrdup("env:HARBOR_PASSWORD");
	}
	return (0);
}

int
context_check(const struct context *ctx, struct berr *err)
{
	const char	*u = ctx->url, *host;
	size_t		 i;

	if (u == NULL || *u == '\0')
		return (berr_set(err, BERR_CONFIG, 0, "no harbor url: add a "
		    "context (berth context add), set HARBOR_URL or use "
		    "--url"));
	if (strncasecmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return (berr_set(err, BERR_CONFIG, 0,
		    "harbor url must start with https:// or http://"));
	if (*host == '\0' || *host == '/')
		return (berr_set(err, BERR_CONFIG, 0,
		    "harbor url has no host"));
	for (i = 0; u[i] != '\0'; i++) {
		if ((u_char)u[i] <= ' ' || u[i] == 0x7f)
			return (berr_set(err, BERR_CONFIG, 0, "harbor url "
			    "contains spaces or control characters"));
	}
	if (ctx->user != NULL && strpbrk(ctx->user, ":\r\n") != NULL)
		return (berr_set(err, BERR_CONFIG, 0,
		    "user name cannot contain ':' or line breaks"));
	return (0);
}
