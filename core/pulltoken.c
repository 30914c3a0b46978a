/*
 * pulltoken.c: pull-token credentials from chainctl's output or docker's
 * config.json (see pulltoken.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "berth/pulltoken.h"
#include "berth/berr.h"
#include "berth/json.h"
#include "berth/oci.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define PT_OUT_MAX	(256 * 1024)	/* chainctl output / config size */
#define PT_WORDS_MAX	64
#define PT_WORD_MAX	4096

void
pulltoken_clear(struct pulltoken *pt)
{
	if (pt == NULL)
		return;
	free(pt->user);
	secret_free(pt->password);
	free(pt->host);
	memset(pt, 0, sizeof pt[0]);
}

static void
pt_wipe_free(char *s, size_t n)
{
	if (s != NULL)
		freezero(s, n);
}

/*
 * Split a shell-like line into words ("..." and '...' quoting, backslash
 * escapes outside single quotes). Returns the number of words, -1 if the
 * line is malformed. Words are wiped and freed by pt_words_free().
 */
static void	pt_words_free(char **, int);

static int
pt_split(const char *s, size_t len, char **w, int max)
{
	size_t	 i = 0, n;
	int	 nw = 0;
	char	 q, *cur;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			return (nw);
		if (nw >= max) {
			pt_words_free(w, nw);
			return (-1);
		}
		cur = xmalloc(PT_WORD_MAX + 1);
		n = 0;
		q = 0;
		while (i < len && (q != 0 || (s[i] != ' ' && s[i] != '\t'))) {
			if (q == 0 && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				continue;
			}
			if (q != 0 && s[i] == q) {
				q = 0;
				i++;
				continue;
			}
			if (s[i] == '\\' && q != '\'' && i + 1 < len)
				i++;
			if (n >= PT_WORD_MAX) {
				freezero(cur, PT_WORD_MAX + 1);
				pt_words_free(w, nw);
				return (-1);
			}
			cur[n++] = s[i++];
		}
		cur[n] = '\0';
		w[nw++] = cur;
		if (q != 0) {
			pt_words_free(w, nw);
			return (-1);
		}
	}
}

static void
pt_words_free(char **w, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		pt_wipe_free(w[i], strlen(w[i]) + 1);
}

/* The value of --name VALUE / --name=VALUE / -s VALUE in words. */
static const char *
pt_opt(char **w, int n, const char *name, const char *shortname)
{
	size_t	nl = strlen(name);
	int	i;

	for (i = 0; i < n; i++) {
		if ((strcmp(w[i], name) == 0 ||
		    (shortname != NULL && strcmp(w[i], shortname) == 0)) &&
		    i + 1 < n)
			return (w[i + 1]);
		if (strncmp(w[i], name, nl) == 0 && w[i][nl] == '=')
			return (w[i] + nl + 1);
	}
	return (NULL);
}

/* One line "docker login HOST --username U --password P". 1 if found. */
static int
pt_docker_login(const char *line, size_t len, struct pulltoken *pt)
{
	char		*w[PT_WORDS_MAX];
	const char	*u, *p;
	int		 n, i, found = 0;

	n = pt_split(line, len, w, PT_WORDS_MAX);
	if (n < 0)
		return (0);
	for (i = 0; i + 1 < n; i++) {
		if (strcmp(w[i], "docker") == 0 && strcmp(w[i + 1], "login") ==
		    0)
			break;
	}
	if (i + 1 < n) {
		u = pt_opt(w + i, n - i, "--username", "-u");
		p = pt_opt(w + i, n - i, "--password", "-p");
		if (u != NULL && p != NULL && *u != '\0' && *p != '\0') {
			pt->user = xstrdup(u);
			pt->password = secret_new(p, strlen(p));
			if (i + 2 < n && w[i + 2][0] != '-')
				pt->host = xstrdup(w[i + 2]);
			found = 1;
		}
	}
	pt_words_free(w, n < 0 ? 0 : n);
	return (found);
}

static const char *const pt_user_keys[] = {
	"username", "user", "userName", "identity", "identity_id",
	"identityId", "id", "access_key", NULL
};
static const char *const pt_pass_keys[] = {
	"password", "secret", "token", "pull_token", "pullToken",
	"access_secret", NULL
};

static const char *
pt_json_str(const cJSON *o, const char *const *keys)
{
	const cJSON	*v;
	size_t		 i;

	for (i = 0; keys[i] != NULL; i++) {
		v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);
		if (cJSON_IsString(v) && *v->valuestring != '\0')
			return (v->valuestring);
	}
	return (NULL);
}

/* 1 and fill pt if object o has both fields. */
static int
pt_json_obj(const cJSON *o, struct pulltoken *pt)
{
	const char	*u, *p;

	if (!cJSON_IsObject(o))
		return (0);
	u = pt_json_str(o, pt_user_keys);
	p = pt_json_str(o, pt_pass_keys);
	if (u == NULL || p == NULL)
		return (0);
	pt->user = xstrdup(u);
	pt->password = secret_new(p, strlen(p));
	return (1);
}

/* json: the object (or first array element), or one level down. */
static int
pt_json(const char *buf, size_t len, struct pulltoken *pt, struct berr *err)
{
	cJSON		*root, *o, *c;
	int		 found;

	if ((root = json_parse(buf, len, err)) == NULL)
		return (berr_prefix(err, "chainctl output"));
	o = cJSON_IsArray(root) ? cJSON_GetArrayItem(root, 0) : root;
	found = pt_json_obj(o, pt);
	if (!found && cJSON_IsObject(o)) {
		cJSON_ArrayForEach(c, o) {
			if ((found = pt_json_obj(c, pt)) != 0)
				break;
		}
	}
	json_wipe(root);
	cJSON_Delete(root);
	if (!found)
		return (berr_set(err, BERR_OTHER, 0, "chainctl json output has "
		    "no username and password"));
	return (0);
}

int
pulltoken_parse_chainctl(const char *buf, size_t len, struct pulltoken *pt,
    struct berr *err)
{
	size_t	i = 0, e;

	memset(pt, 0, sizeof *pt);
	if (buf == NULL || len == 0)
		return (berr_set(err, BERR_OTHER, 0, "chainctl printed nothing"));
	if (len > PT_OUT_MAX)
		return (berr_set(err, BERR_TOOBIG, 0, "chainctl output too "
		    "large"));
	while (i < len && isspace((u_char)buf[i]))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return (pt_json(buf + i, len - i, pt, err));
	for (i = 0; i < len; i = e + 1) {
		e = i;
		while (e < len && buf[e] != '\n')
			e++;
		if (pt_docker_login(buf + i, e > i && buf[e - 1] == '\r' ?
		    e - i - 1 : e - i, pt))
			return (0);
	}
	return (berr_set(err, BERR_OTHER, 0, "chainctl output has no "
	    "'docker login ... --username ... --password ...' line"));
}

/* "https://cgr.dev/v2/" -> "cgr.dev" (host[:port]); caller frees. */
static char *
pt_key_host(const char *k)
{
	const char	*p;

	if ((p = strstr(k, "://")) != NULL)
		k = p + 3;
	return (xstrndup(k, strcspn(k, "/")));
}

static int
pt_auth_entry(const cJSON *e, struct pulltoken *pt, struct berr *err)
{
	const cJSON	*a, *u, *p;
	char		*dec, *colon;
	size_t		 n;

	a = cJSON_GetObjectItemCaseSensitive(e, "auth");
	if (cJSON_IsString(a) && *a->valuestring != '\0') {
		dec = oci_base64_decode(a->valuestring,
		    strlen(a->valuestring), 0, &n);
		if (dec == NULL || (colon = memchr(dec, ':', n)) == NULL ||
		    colon == dec || colon[1] == '\0' || strlen(dec) != n) {
			pt_wipe_free(dec, dec != NULL ? n + 1 : 0);
			return (berr_set(err, BERR_CONFIG, 0, "docker config: "
			    "\"auth\" is not base64 of user:password"));
		}
		pt->user = xstrndup(dec, colon - dec);
		pt->password = secret_new(colon + 1, strlen(colon + 1));
		pt_wipe_free(dec, n + 1);
		return (0);
	}
	u = cJSON_GetObjectItemCaseSensitive(e, "username");
	p = cJSON_GetObjectItemCaseSensitive(e, "password");
	if (cJSON_IsString(u) && cJSON_IsString(p) && *u->valuestring &&
	    *p->valuestring) {
		pt->user = xstrdup(u->valuestring);
		pt->password = secret_new(p->valuestring,
		    strlen(p->valuestring));
		return (0);
	}
	return (berr_set(err, BERR_CONFIG, 0, "docker config: the entry has "
	    "no auth or username/password (identitytoken is not supported)"));
}

int
pulltoken_parse_docker_config(const char *buf, size_t len, const char *host,
    struct pulltoken *pt, struct berr *err)
{
	cJSON		*root, *auths, *e, *h;
	char		*kh;
	int		 rc = -1, found = 0;

	memset(pt, 0, sizeof *pt);
	if ((root = json_parse(buf, len, err)) == NULL)
		return (berr_prefix(err, "docker config"));
	auths = cJSON_GetObjectItemCaseSensitive(root, "auths");
	if (!cJSON_IsObject(auths))
		auths = NULL;
	cJSON_ArrayForEach(e, auths) {
		kh = pt_key_host(e->string != NULL ? e->string : "");
		found = strcasecmp(kh, host) == 0;
		free(kh);
		if (found) {
			rc = pt_auth_entry(e, pt, err);
			if (rc == 0)
				pt->host = xstrdup(host);
			break;
		}
	}
	if (!found) {
		h = cJSON_GetObjectItemCaseSensitive(root, "credHelpers");
		if (cJSON_GetObjectItemCaseSensitive(h, host) != NULL ||
		    cJSON_GetObjectItemCaseSensitive(root, "credsStore") !=
		    NULL)
			berr_set(err, BERR_CONFIG, 0, "docker config: no "
			    "credentials for %s in \"auths\" (a credential "
			    "helper may hold them: berth does not run it; use "
			    "--access-secret-stdin)", host);
		else
			berr_set(err, BERR_CONFIG, 0, "docker config: no "
			    "credentials for %s", host);
	}
	json_wipe(root);
	cJSON_Delete(root);
	return (rc);
}

/* Read a whole fd, at most PT_OUT_MAX bytes; -1 if more or on error. */
static ssize_t
pt_read_all(int fd, char **out)
{
	char	*b;
	size_t	 n = 0;
	ssize_t	 r;

	b = xmalloc(PT_OUT_MAX + 1);
	for (;;) {
		r = read(fd, b + n, PT_OUT_MAX + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n > PT_OUT_MAX)
			break;
	}
	if (r == -1 || n > PT_OUT_MAX) {
		freezero(b, PT_OUT_MAX + 1);
		return (-1);
	}
	b[n] = '\0';
	*out = b;
	return ((ssize_t)n);
}

int
pulltoken_from_docker_config(const char *path, const char *host,
    struct pulltoken *pt, struct berr *err)
{
	char		*p = NULL, *buf = NULL;
	const char	*d;
	int		 fd, rc;
	ssize_t		 n;

	memset(pt, 0, sizeof *pt);
	if (path == NULL) {
		if ((d = getenv("DOCKER_CONFIG")) != NULL && *d != '\0')
			xasprintf(&p, "%s/config.json", d);
		else if ((d = getenv("HOME")) != NULL && *d != '\0')
			xasprintf(&p, "%s/.docker/config.json", d);
		else
			return (berr_set(err, BERR_CONFIG, 0, "docker config: "
			    "HOME is not set"));
		path = p;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		berr_set(err, BERR_CONFIG, 0, "docker config %s: %s", path,
		    strerror(errno));
		free(p);
		return (-1);
	}
	n = pt_read_all(fd, &buf);
	close(fd);
	if (n < 0) {
		berr_set(err, BERR_CONFIG, 0, "docker config %s: unreadable or "
		    "too large", path);
		free(p);
		return (-1);
	}
	rc = pulltoken_parse_docker_config(buf, n, host, pt, err);
	if (rc == -1)
		berr_prefix(err, "%s", path);
	pt_wipe_free(buf, PT_OUT_MAX + 1);
	free(p);
	return (rc);
}

static int
pt_org_ok(const char *org)
{
	size_t	i, n = strlen(org);

	if (n == 0 || n > 255 || org[0] == '-')
		return (0);
	for (i = 0; i < n; i++) {
		if (!isalnum((u_char)org[i]) && strchr("._-/", org[i]) == NULL)
			return (0);
	}
	return (1);
}

int
pulltoken_from_chainctl(const char *org, struct pulltoken *pt,
    struct berr *err)
{
	const char	*prog;
	char		*argv[8], *buf = NULL;
	int		 fds[2], status;
	pid_t		 pid;
	ssize_t		 n;

	memset(pt, 0, sizeof *pt);
	if (org == NULL || !pt_org_ok(org))
		return (berr_set(err, BERR_USAGE, 0, "chainctl: bad org name"));
	if ((prog = getenv("BERTH_CHAINCTL")) == NULL || *prog == '\0')
		prog = "chainctl";
	argv[0] = (char *)prog;
	argv[1] = (char *)"auth";
	argv[2] = (char *)"configure-docker";
	argv[3] = (char *)"--parent";
	argv[4] = (char *)org;
	argv[5] = (char *)"--pull-token";
	argv[6] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return (berr_set(err, BERR_OTHER, 0, "pipe: %s",
		    strerror(errno)));
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (berr_set(err, BERR_OTHER, 0, "fork: %s",
		    strerror(errno)));
	}
	if (pid == 0) {
		if (dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(127);
		execvp(prog, argv);
		_exit(127);
	}
	close(fds[1]);
	n = pt_read_all(fds[0], &buf);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		pt_wipe_free(buf, buf != NULL ? PT_OUT_MAX + 1 : 0);
		return (berr_set(err, BERR_CONFIG, 0, "chainctl: not found on "
		    "PATH (install it, or paste the pull token with "
		    "--access-secret-stdin)"));
	}
	if (n < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		pt_wipe_free(buf, buf != NULL ? PT_OUT_MAX + 1 : 0);
		return (berr_set(err, BERR_CONFIG, 0, "chainctl auth "
		    "configure-docker --parent %s --pull-token failed (%s %d)",
		    org, WIFEXITED(status) ? "exit" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status)));
	}
	if (pulltoken_parse_chainctl(buf, n, pt, err) == -1) {
		pt_wipe_free(buf, PT_OUT_MAX + 1);
		return (berr_prefix(err, "chainctl"));
	}
	pt_wipe_free(buf, PT_OUT_MAX + 1);
	return (0);
}
