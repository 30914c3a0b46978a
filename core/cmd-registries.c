/*
 * cmd-registries.c: registry endpoints (Administration > Registries):
 * get, create, update, delete, rotate, and test-connection from both
 * vantage points (Harbor's POST /registries/ping and the local probe
 * ladder).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "berth/cmd.h"
#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/http.h"
#include "berth/loop.h"
#include "berth/model.h"
#include "berth/oci.h"
#include "berth/output.h"
#include "berth/probe.h"
#include "berth/pulltoken.h"
#include "berth/sanitize.h"
#include "berth/secret.h"
#include "berth/session.h"
#include "berth/xmalloc.h"

#define REG_CA_MAX		(1024 * 1024)	/* PEM bundle size */
#define REG_PING_TIMEOUT_S	20

/* Provider display names as Harbor's portal shows them. */
static const struct {
	const char	*type;
	const char	*name;
} reg_providers[] = {
	{ "docker-registry",	"Docker Registry" },
	{ "harbor",		"Harbor" },
	{ "docker-hub",		"Docker Hub" },
	{ "aws-ecr",		"AWS ECR" },
	{ "azure-acr",		"Azure ACR" },
	{ "ali-acr",		"Alibaba ACR" },
	{ "google-gcr",		"Google GCR" },
	{ "huawei-SWR",		"Huawei SWR" },
	{ "gitlab",		"Gitlab" },
	{ "quay",		"Quay" },
	{ "jfrog-artifactory",	"JFrog Artifactory" },
	{ "tencent-tcr",	"Tencent TCR" },
	{ "github-ghcr",	"Github GHCR" },
	{ "volcengine-cr",	"Volcengine CR" },
	{ "dtr",		"DTR" },
	{ "helm-hub",		"Helm Hub" },
};

/* Display name of an adapter type (the type itself when unknown). */
const char *cmd_registries_provider_name(const char *);

const char *
cmd_registries_provider_name(const char *type)
{
	size_t	i;

	if (type == NULL)
		return ("-");
	for (i = 0; i < nitems(reg_providers); i++) {
		if (strcasecmp(reg_providers[i].type, type) == 0)
			return (reg_providers[i].name);
	}
	return (type);
}

/* ---- helpers ------------------------------------------------------------ */

static void
reg_time(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL)
		strlcpy(buf, "-", len);
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static int
reg_find(struct cmd_ctx *ctx, const char *name, struct registry **out)
{
	if (harbor_registry_find_sync(ctx->session->harbor, name, out,
	    &ctx->err) == 0)
		return (0);
	if (ctx->err.status == 404)	/* a failure, not a usage error: exit 1 */
		berr_set(&ctx->err, BERR_HTTP, 404,
		    "registry \"%s\" not found", name);
	return (-1);
}

/* Read a PEM CA bundle (caller frees). */
static int
reg_read_ca(struct cmd_ctx *ctx, const char *path, char **pem)
{
	struct stat	 st;
	ssize_t		 n;
	size_t		 len = 0;
	char		*b;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "%s: %s", path,
		    strerror(errno)));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > REG_CA_MAX) {
		close(fd);
		return (berr_set(&ctx->err, BERR_USAGE, 0, "%s: not a regular "
		    "file of at most %d bytes", path, REG_CA_MAX));
	}
	b = xmalloc(REG_CA_MAX + 1);
	while ((n = read(fd, b + len, REG_CA_MAX - len)) > 0)
		len += n;
	close(fd);
	b[len] = '\0';
	if (n < 0 || strstr(b, "-----BEGIN CERTIFICATE-----") == NULL) {
		free(b);
		return (berr_set(&ctx->err, BERR_USAGE, 0, "%s: no PEM "
		    "certificate in it", path));
	}
	*pem = b;
	return (0);
}

/* Write a PEM to a private temp file for the probe; caller unlinks. */
static char *
reg_pem_tmpfile(const char *pem)
{
	const char	*dir = getenv("TMPDIR");
	char		*path;
	int		 fd;
	size_t		 len = strlen(pem);

	xasprintf(&path, "%s/berth-ca.XXXXXX", dir != NULL && *dir == '/' ?
	    dir : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		free(path);
		return (NULL);
	}
	if (write(fd, pem, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		free(path);
		return (NULL);
	}
	close(fd);
	return (path);
}

/* Where the access secret comes from (one at most). */
/*
 * The options that choose where an endpoint's secret comes from, shared by
 * create, update and rotate (c: a struct reg_cred). A secret on the command
 * line is refused with the reason.
 */
#define REG_CRED_OPTIONS(c)						\
	{ "access-secret-stdin", 0, CMD_OPT_FLAG, &(c).stdin_, NULL },	\
	{ "access-secret-file", 0, CMD_OPT_STR, &(c).file, NULL },	\
	{ "from-chainctl", 0, CMD_OPT_STR, &(c).chainctl_org, NULL },	\
	{ "from-docker-config", 0, CMD_OPT_FLAG, &(c).docker_config,	\
	    NULL },							\
	{ "access-secret", 0, CMD_OPT_REFUSE, NULL, "a secret is never "\
	    "taken from the command line: use --access-secret-stdin or "\
	    "--access-secret-file" }

struct reg_cred {
	int		 stdin_;
	const char	*file;
	const char	*chainctl_org;
	int		 docker_config;
	/* results */
	char		*user;		/* from chainctl / docker config */
	struct secret	*secret;
};

static void
reg_cred_clear(struct reg_cred *c)
{
	free(c->user);
	secret_free(c->secret);
	c->user = NULL;
	c->secret = NULL;
}

static int
reg_cred_given(const struct reg_cred *c)
{
	return (c->stdin_ + (c->file != NULL) + (c->chainctl_org != NULL) +
	    c->docker_config);
}

/*
 * Read the secret from the chosen source. host: registry host for the
 * docker config. Returns 0 (nothing chosen is fine), -1 with ctx->err.
 */
static int
reg_cred_read(struct cmd_ctx *ctx, struct reg_cred *c, const char *host)
{
	struct pulltoken	pt;

	if (reg_cred_given(c) > 1)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "give one secret "
		    "source: --access-secret-stdin, --access-secret-file, "
		    "--from-chainctl or --from-docker-config"));
	/* The console owns the terminal: no stdin, no child on the tty. */
	if (ctx->console && (c->stdin_ || c->chainctl_org != NULL))
		return (berr_set(&ctx->err, BERR_USAGE, 0, "%s is for the "
		    "shell; in the console use the form (n or R on the "
		    "Registries screen) or --access-secret-file",
		    c->stdin_ ? "--access-secret-stdin" : "--from-chainctl"));
	if (c->stdin_)
		return (secret_from_fd(STDIN_FILENO, &c->secret, &ctx->err));
	if (c->file != NULL)
		return (secret_from_file(c->file, &c->secret, &ctx->err));
	if (c->chainctl_org != NULL || c->docker_config) {
		if (c->chainctl_org != NULL) {
			if (pulltoken_from_chainctl(c->chainctl_org, &pt,
			    &ctx->err) == -1)
				return (-1);
		} else if (pulltoken_from_docker_config(NULL,
		    host != NULL ? host : "cgr.dev", &pt, &ctx->err) == -1)
			return (-1);
		c->user = pt.user;
		c->secret = pt.password;
		pt.user = NULL;
		pt.password = NULL;
		pulltoken_clear(&pt);
	}
	return (0);
}

/* The url checked as Harbor needs it (scheme given); host out. */
static int
reg_check_url(struct cmd_ctx *ctx, const char *url, char **host)
{
	struct oci_url	u;

	if (oci_url_parse(url, &u, &ctx->err) == -1) {
		oci_url_clear(&u);
		return (-1);
	}
	if (host != NULL) {
		if (u.port_given)
			xasprintf(host, "%s:%d", u.host, u.port);
		else
			*host = xstrdup(u.host);
	}
	oci_url_clear(&u);
	return (0);
}

/*
 * Harbor checks an endpoint before saving it and only says "unhealthy":
 * point to the command that shows why.
 */
static void
reg_unhealthy_hint(struct cmd_ctx *ctx, const char *url, const char *id)
{
	char	*msg;

	if (strcasestr(ctx->err.msg, "unhealthy") == NULL)
		return;
	xasprintf(&msg, "%s; to see why, run: berth test-connection --url %s"
	    "%s%s --password-stdin", ctx->err.msg, url,
	    id != NULL ? " --user " : "", id != NULL ? id : "");
	strlcpy(ctx->err.msg, msg, sizeof ctx->err.msg);
	free(msg);
}

/* ---- get registries -------------------------------------------------------- */

static int
cmd_registries_get(struct cmd_ctx *ctx)
{
	struct registry_list	*list;
	struct output_table	*t;
	const struct registry	*r;
	cJSON			*arr, *o;
	char			 created[32], *auth;
	size_t			 i;
	static const char *const titles[] = { "NAME", "STATUS",
	    "ENDPOINT URL", "PROVIDER", "VERIFY REMOTE CERT",
	    "AUTHENTICATION", "CREATED", "DESCRIPTION" };
	struct cmd_option	 opts[] = { { NULL, 0, 0, NULL, NULL } };

	if (cmd_parse(ctx, opts, 0, 0) == -1 || cmd_connect(ctx) == -1)
		return (-1);
	if (harbor_registries_list_sync(ctx->session->harbor, NULL, &list,
	    &ctx->err) == -1)
		return (-1);
	if (ctx->format == OUTPUT_JSON) {
		arr = cJSON_CreateArray();
		for (i = 0; i < list->n; i++) {
			o = model_registry_json(&list->items[i]);
			cJSON_AddStringToObject(o, "provider",
			    cmd_registries_provider_name(list->items[i].type));
			cJSON_AddItemToArray(arr, o);
		}
		output_json(ctx->out, arr);
		cJSON_Delete(arr);
		registry_list_free(list);
		return (0);
	}
	t = output_table_new(nitems(titles), titles);
	for (i = 0; i < list->n; i++) {
		r = &list->items[i];
		reg_time(r->creation_time, created, sizeof created);
		if (r->access_key != NULL && *r->access_key != '\0')
			xasprintf(&auth, "%s (%s)", r->cred_type != NULL ?
			    r->cred_type : "basic", r->access_key);
		else
			auth = xstrdup("none");
		output_table_addv(t, r->name, r->status != NULL ? r->status :
		    "unknown", r->url, cmd_registries_provider_name(r->type),
		    r->insecure ? "no" : "yes", auth, created,
		    r->description != NULL && *r->description ?
		    r->description : "-");
		free(auth);
	}
	output_table_print(t, ctx->out);
	output_table_free(t);
	registry_list_free(list);
	return (0);
}

/* ---- create / update ---------------------------------------------------------- */

static int
cmd_registries_create(struct cmd_ctx *ctx)
{
	const char		*name = NULL, *type = NULL, *url = NULL;
	const char		*id = NULL, *desc = NULL, *ca = NULL;
	int			 insecure = 0, rc = -1;
	int64_t			 newid;
	struct reg_cred		 c;
	struct registry_req	 rq;
	char			*pem = NULL, *host = NULL;
	struct cmd_option	 opts[] = {
		{ "name", 0, CMD_OPT_STR, &name, NULL },
		{ "type", 0, CMD_OPT_STR, &type, NULL },
		{ "url", 0, CMD_OPT_STR, &url, NULL },
		{ "access-id", 0, CMD_OPT_STR, &id, NULL },
		REG_CRED_OPTIONS(c),
		{ "description", 0, CMD_OPT_STR, &desc, NULL },
		{ "insecure", 0, CMD_OPT_FLAG, &insecure, NULL },
		{ "ca-file", 0, CMD_OPT_STR, &ca, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	memset(&c, 0, sizeof c);
	if (cmd_parse(ctx, opts, 0, 0) == -1)
		return (-1);
	if (name == NULL || url == NULL)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--name and --url "
		    "are needed"));
	if (reg_check_url(ctx, url, &host) == -1)
		return (-1);
	if (ca != NULL && reg_read_ca(ctx, ca, &pem) == -1)
		goto out;
	if (reg_cred_read(ctx, &c, host) == -1)
		goto out;
	if (id == NULL)
		id = c.user;
	if (c.secret != NULL && id == NULL) {
		berr_set(&ctx->err, BERR_USAGE, 0, "--access-id is needed with "
		    "a secret");
		goto out;
	}
	if (id != NULL && c.secret == NULL) {
		berr_set(&ctx->err, BERR_USAGE, 0, "--access-id needs a secret "
		    "(--access-secret-stdin, --access-secret-file, "
		    "--from-chainctl ORG or --from-docker-config)");
		goto out;
	}
	if (cmd_connect(ctx) == -1)
		goto out;
	registry_req_init(&rq);
	rq.name = name;
	rq.url = url;
	rq.type = type != NULL ? type : "docker-registry";
	rq.description = desc;
	rq.access_key = id;
	rq.access_secret = c.secret;
	rq.ca_certificate = pem;
	rq.insecure = insecure;
	if (harbor_registry_create_sync(ctx->session->harbor, &rq, &newid,
	    &ctx->err) == -1) {
		reg_unhealthy_hint(ctx, url, id);
		goto out;
	}
	if (ctx->format == OUTPUT_JSON) {
		cJSON	*o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddNumberToObject(o, "id", (double)newid);
		output_json(ctx->out, o);
		cJSON_Delete(o);
	} else {
		char	*line;

		xasprintf(&line, "registry \"%s\" created (id %lld)", name,
		    (long long)newid);
		output_line(ctx->out, line);
		free(line);
	}
	rc = 0;
out:
	reg_cred_clear(&c);
	free(pem);
	free(host);
	return (rc);
}

/* Same string, NULL-safe. */
static int
reg_same(const char *a, const char *b)
{
	return (strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0);
}

struct reg_update {
	const char	*rename, *url, *id, *desc, *ca;
	int		 insecure, verify;
	struct reg_cred	 c;
};

/*
 * Build the changed fields of an update into rq (borrowing from u, r and
 * pem). Returns the number of fields that change.
 */
static int
reg_update_fields(const struct reg_update *u, const struct registry *r,
    const char *pem, struct registry_req *rq)
{
	int	n = 0;

	registry_req_init(rq);
	if (u->rename != NULL && !reg_same(u->rename, r->name)) {
		rq->name = u->rename;
		n++;
	}
	if (u->url != NULL && !reg_same(u->url, r->url)) {
		rq->url = u->url;
		n++;
	}
	if (u->desc != NULL && !reg_same(u->desc, r->description)) {
		rq->description = u->desc;
		n++;
	}
	if (u->id != NULL && !reg_same(u->id, r->access_key)) {
		rq->access_key = u->id;
		n++;
	}
	if (u->c.secret != NULL) {
		rq->access_secret = u->c.secret;
		if (rq->access_key == NULL)
			rq->access_key = r->access_key;
		n++;
	}
	if (pem != NULL && !reg_same(pem, r->ca_certificate)) {
		rq->ca_certificate = pem;
		n++;
	}
	if (u->insecure && !r->insecure) {
		rq->insecure = 1;
		n++;
	} else if (u->verify && r->insecure) {
		rq->insecure = 0;
		n++;
	}
	return (n);
}

static int
reg_update_run(struct cmd_ctx *ctx, const char *name, struct reg_update *u,
    struct registry **regp)
{
	struct registry		*r = NULL;
	struct registry_req	 rq;
	char			*pem = NULL, *host = NULL, *line;
	int			 n, rc = -1;

	if (u->url != NULL && reg_check_url(ctx, u->url, NULL) == -1)
		return (-1);
	if (u->insecure && u->verify)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--insecure and "
		    "--verify-remote-cert contradict"));
	if (u->ca != NULL && reg_read_ca(ctx, u->ca, &pem) == -1)
		return (-1);
	if (cmd_connect(ctx) == -1 || reg_find(ctx, name, &r) == -1)
		goto out;
	if (reg_check_url(ctx, u->url != NULL ? u->url : r->url, &host) == -1)
		goto out;
	if (reg_cred_read(ctx, &u->c, host) == -1)
		goto out;
	if (u->id == NULL && u->c.user != NULL)
		u->id = u->c.user;
	if ((n = reg_update_fields(u, r, pem, &rq)) == 0) {
		xasprintf(&line, "registry \"%s\": nothing to change", name);
		output_line(ctx->errf, line);
		free(line);
	} else if (harbor_registry_update_sync(ctx->session->harbor, r->id,
	    &rq, &ctx->err) == -1) {
		reg_unhealthy_hint(ctx, rq.url != NULL ? rq.url : r->url,
		    rq.access_key != NULL ? rq.access_key : r->access_key);
		goto out;
	}
	else if (ctx->format != OUTPUT_JSON) {
		xasprintf(&line, "registry \"%s\" updated (%d field%s)",
		    rq.name != NULL ? rq.name : name, n, n == 1 ? "" : "s");
		output_line(ctx->out, line);
		free(line);
	}
	rc = 0;
	if (regp != NULL) {
		*regp = r;
		r = NULL;
	}
out:
	registry_free(r);
	free(pem);
	free(host);
	return (rc);
}

static int
cmd_registries_update(struct cmd_ctx *ctx)
{
	struct reg_update	u;
	int			rc;
	struct cmd_option	opts[] = {
		{ "name", 0, CMD_OPT_STR, &u.rename, NULL },
		{ "url", 0, CMD_OPT_STR, &u.url, NULL },
		{ "access-id", 0, CMD_OPT_STR, &u.id, NULL },
		REG_CRED_OPTIONS(u.c),
		{ "description", 0, CMD_OPT_STR, &u.desc, NULL },
		{ "insecure", 0, CMD_OPT_FLAG, &u.insecure, NULL },
		{ "verify-remote-cert", 0, CMD_OPT_FLAG, &u.verify, NULL },
		{ "ca-file", 0, CMD_OPT_STR, &u.ca, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	memset(&u, 0, sizeof u);
	if (cmd_parse(ctx, opts, 1, 1) == -1)
		return (-1);
	rc = reg_update_run(ctx, ctx->args[0], &u, NULL);
	reg_cred_clear(&u.c);
	return (rc);
}

/* ---- delete --------------------------------------------------------------------- */

/* After a 412: name the policies and proxy projects using registry r. */
static void
reg_dependants(struct cmd_ctx *ctx, const struct registry *r)
{
	struct policy_list	*pl = NULL;
	struct project_list	*jl = NULL;
	struct berr		 e;
	char			*msg, *n;
	size_t			 i, np = 0, nj = 0;

	msg = xstrdup("");
	if (harbor_policies_list_sync(ctx->session->harbor, NULL, &pl,
	    &e) == 0) {
		for (i = 0; i < pl->n; i++) {
			if (pl->items[i].src_registry_id != r->id &&
			    pl->items[i].dest_registry_id != r->id)
				continue;
			xasprintf(&n, "%s%s\"%s\"", msg, np++ ? ", " : "",
			    pl->items[i].name);
			free(msg);
			msg = n;
		}
	}
	if (np > 0) {
		xasprintf(&n, "replication polic%s %s", np == 1 ? "y" : "ies",
		    msg);
		free(msg);
		msg = n;
	}
	if (harbor_projects_list_sync(ctx->session->harbor, NULL, &jl,
	    &e) == 0) {
		for (i = 0; i < jl->n; i++) {
			if (jl->items[i].registry_id != r->id)
				continue;
			xasprintf(&n, "%s%s\"%s\"", msg, nj++ ? ", " :
			    np ? "; proxy cache project(s) " :
			    "proxy cache project(s) ", jl->items[i].name);
			free(msg);
			msg = n;
		}
	}
	if (np + nj > 0)
		berr_set(&ctx->err, BERR_HTTP, 412, "registry \"%s\" is still "
		    "used by %s: delete or change those first", r->name, msg);
	else
		berr_prefix(&ctx->err, "registry \"%s\" is in use", r->name);
	free(msg);
	policy_list_free(pl);
	project_list_free(jl);
}

static int
cmd_registries_delete(struct cmd_ctx *ctx)
{
	struct registry		*r = NULL;
	char			*line;
	struct cmd_option	 opts[] = { { NULL, 0, 0, NULL, NULL } };

	if (cmd_parse(ctx, opts, 1, 1) == -1 || cmd_connect(ctx) == -1 ||
	    reg_find(ctx, ctx->args[0], &r) == -1)
		return (-1);
	if (harbor_registry_delete_sync(ctx->session->harbor, r->id,
	    &ctx->err) == -1) {
		if (ctx->err.status == 412 || ctx->err.status == 409)
			reg_dependants(ctx, r);
		registry_free(r);
		return (-1);
	}
	if (ctx->format == OUTPUT_JSON) {
		cJSON	*o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", r->name);
		cJSON_AddNumberToObject(o, "id", (double)r->id);
		cJSON_AddBoolToObject(o, "deleted", 1);
		output_json(ctx->out, o);
		cJSON_Delete(o);
	} else {
		xasprintf(&line, "registry \"%s\" deleted", r->name);
		output_line(ctx->out, line);
		free(line);
	}
	registry_free(r);
	return (0);
}

/* ---- test-connection ------------------------------------------------------------ */

struct reg_test {
	/* what to test */
	const char		*name;		/* saved endpoint, or NULL */
	int64_t			 id;
	const char		*url;
	const char		*user;
	const struct secret	*secret;
	const char		*pem;		/* CA for Harbor (by values) */
	const char		*ca_file;	/* CA for the probe */
	int			 insecure;
	const char		*org;
	const char		*repo;
	long			 timeout_s;
	/* results */
	int			 harbor_done;
	int			 harbor_ok;
	struct berr		 harbor_err;
	long			 harbor_ms;
	uint64_t		 t0;
	struct probe_result	*local;
};

static void
reg_test_harbor_cb(const struct berr *err, void *arg)
{
	struct reg_test	*t = arg;

	t->harbor_done = 1;
	t->harbor_ms = (long)(loop_now_ms() - t->t0);
	t->harbor_ok = err == NULL;
	if (err != NULL)
		t->harbor_err = *err;
}

static void
reg_test_probe_cb(const struct probe_result *r, void *arg)
{
	struct reg_test	*t = arg;

	t->local = probe_result_dup(r);
}

/* 1 if Harbor was never asked: berth could not reach or log in to it. */
static int
reg_harbor_unasked(const struct reg_test *t)
{
	const struct berr	*e = &t->harbor_err;

	if (t->harbor_ok)
		return (0);
	if (e->kind == BERR_NET && strcasestr(e->msg, "timed out") != NULL)
		return (0);	/* Harbor's check hung: its answer */
	return (e->kind == BERR_NET || e->kind == BERR_TLS ||
	    e->kind == BERR_AUTH || e->kind == BERR_CANCELLED);
}

/* One line on where the problem is, or NULL when both sides pass. */
static const char *
reg_test_diagnosis(const struct reg_test *t)
{
	return (probe_diagnosis(t->harbor_ok, !reg_harbor_unasked(t),
	    t->local));
}

/* Run Harbor's ping and the local ladder at once; both finish. */
static void
reg_test_run(struct cmd_ctx *ctx, struct reg_test *t)
{
	struct session		*s = ctx->session;
	struct req_owner	 owner;
	struct registry_req	 rq;
	struct probe_opts	 po;
	struct probe		*p;

	req_owner_init(&owner);
	registry_req_init(&rq);
	if (t->id == 0) {
		rq.type = "docker-registry";
		rq.url = t->url;
		rq.access_key = t->user;
		rq.access_secret = t->secret;
		rq.ca_certificate = t->pem;
		rq.insecure = t->insecure;
	}
	t->t0 = loop_now_ms();
	harbor_registry_ping(s->harbor, t->id, t->id == 0 ? &rq : NULL,
	    t->timeout_s * 1000, &owner, reg_test_harbor_cb, t);
	memset(&po, 0, sizeof po);
	po.url = t->url;
	po.user = t->user;
	po.password = t->secret;
	po.org = t->org;
	po.repo = t->repo;
	po.ca_file = t->ca_file;
	po.insecure = t->insecure;
	p = probe_start(s->loop, &po, reg_test_probe_cb, t);
	while ((!t->harbor_done || t->local == NULL) &&
	    !loop_quitting(s->loop))
		loop_once(s->loop, 1000);
	if (t->local == NULL)
		probe_cancel(p);
	if (!t->harbor_done) {
		harbor_cancel(s->harbor, &owner);
		berr_set(&t->harbor_err, BERR_CANCELLED, 0, "interrupted");
	}
}

static void
reg_test_print_json(struct cmd_ctx *ctx, const struct reg_test *t)
{
	cJSON		*o, *h;
	const char	*d = reg_test_diagnosis(t);

	o = cJSON_CreateObject();
	if (t->name != NULL)
		cJSON_AddStringToObject(o, "registry", t->name);
	else
		cJSON_AddNullToObject(o, "registry");
	cJSON_AddStringToObject(o, "url", t->url);
	cJSON_AddBoolToObject(o, "ok", d == NULL);
	h = cJSON_AddObjectToObject(o, "harbor");
	cJSON_AddBoolToObject(h, "ok", t->harbor_ok);
	cJSON_AddNumberToObject(h, "ms", t->harbor_ms);
	cJSON_AddBoolToObject(h, "reached", !reg_harbor_unasked(t));
	if (t->harbor_ok)
		cJSON_AddNullToObject(h, "message");
	else
		cJSON_AddStringToObject(h, "message", t->harbor_err.msg);
	if (t->local != NULL)
		cJSON_AddItemToObject(o, "local", probe_result_json(t->local));
	if (d != NULL)
		cJSON_AddStringToObject(o, "diagnosis", d);
	else
		cJSON_AddNullToObject(o, "diagnosis");
	output_json(ctx->out, o);
	cJSON_Delete(o);
}

static void
reg_test_print(struct cmd_ctx *ctx, const struct reg_test *t)
{
	FILE		*f = ctx->out;
	const char	*d = reg_test_diagnosis(t);
	char		*line;

	if (ctx->format == OUTPUT_JSON) {
		reg_test_print_json(ctx, t);
		return;
	}
	xasprintf(&line, "%s%s%s%s (access id %s)", t->name ? "registry \"" :
	    "", t->name ? t->name : "", t->name ? "\" " : "", t->url,
	    t->user != NULL ? t->user : "none");
	output_line(f, line);
	free(line);
	if (t->harbor_ok)
		xasprintf(&line, "harbor's view (POST /registries/ping): ok "
		    "(%ld ms)", t->harbor_ms);
	else if (reg_harbor_unasked(t))
		xasprintf(&line, "harbor's view (POST /registries/ping): not "
		    "available: could not ask Harbor: %s", t->harbor_err.msg);
	else if (t->harbor_err.kind == BERR_NET)
		xasprintf(&line, "harbor's view (POST /registries/ping): FAIL: "
		    "no answer within %ld s (Harbor's check hangs when it "
		    "cannot reach the registry): %s", t->timeout_s,
		    t->harbor_err.msg);
	else
		xasprintf(&line, "harbor's view (POST /registries/ping): FAIL "
		    "(%ld ms): %s", t->harbor_ms, t->harbor_err.msg);
	output_line(f, line);
	free(line);
	fprintf(f, "local view (from this host)%s:\n", t->local != NULL &&
	    t->local->anonymous ? ", anonymous: no secret given" : "");
	if (t->local != NULL)
		probe_print(f, t->local);
	if (d == NULL && t->local != NULL && t->local->anonymous)
		fprintf(f, "result: ok, both sides pass; the pull token was "
		    "not tested from this host (no secret given)\n");
	else if (d == NULL)
		fprintf(f, "result: ok, both sides pass\n");
	else {
		xasprintf(&line, "result: FAIL: %s", d);
		output_line(f, line);
		free(line);
		if (t->local != NULL && t->local->cause != NULL) {
			xasprintf(&line, "local cause: %s", t->local->cause);
			output_line(f, line);
			free(line);
		}
	}
}

/* Read the probe's secret: --password-stdin/--password-file, or ask. */
static int
reg_test_secret(struct cmd_ctx *ctx, int pw_stdin, const char *pw_file,
    const char *what, struct secret **out)
{
	char	*prompt;
	int	 rc;

	*out = NULL;
	if (pw_stdin && pw_file != NULL)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "give one of "
		    "--password-stdin and --password-file"));
	if (pw_stdin && ctx->console)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--password-stdin "
		    "is for the shell; in the console press t on the "
		    "Registries screen, or use --password-file"));
	if (pw_stdin)
		return (secret_from_fd(STDIN_FILENO, out, &ctx->err));
	if (pw_file != NULL)
		return (secret_from_file(pw_file, out, &ctx->err));
	if (ctx->console || !isatty(STDIN_FILENO))
		return (0);
	xasprintf(&prompt, "Access secret for %s (empty: test anonymously): ",
	    what);
	rc = secret_from_prompt(prompt, out, &ctx->err);
	free(prompt);
	if (rc == -1) {		/* empty answer: anonymous */
		berr_clear(&ctx->err);
		*out = NULL;
	}
	return (0);
}

static int
reg_test_finish(struct cmd_ctx *ctx, struct reg_test *t)
{
	reg_test_print(ctx, t);
	if (reg_test_diagnosis(t) == NULL)
		return (0);
	/* Already explained on ctx->out: an empty message. */
	berr_set(&ctx->err, BERR_OTHER, 0, "%s", "");
	return (-1);
}

struct reg_test_opts {
	const char	*url, *user, *pw_file, *ca, *org, *repo;
	int		 pw_stdin, insecure;
	int64_t		 timeout;
};

static int
reg_test_saved(struct cmd_ctx *ctx, const struct reg_test_opts *o,
    const char *name, struct secret *given)
{
	struct reg_test	 t;
	struct registry	*r = NULL;
	struct secret	*sec = given;
	char		*tmpca = NULL;
	int		 rc = -1;

	memset(&t, 0, sizeof t);
	if (reg_find(ctx, name, &r) == -1)
		return (-1);
	if (sec == NULL && reg_test_secret(ctx, o->pw_stdin, o->pw_file,
	    r->name, &sec) == -1)
		goto out;
	t.name = r->name;
	t.id = r->id;
	t.url = r->url;
	t.user = r->access_key != NULL && *r->access_key ? r->access_key :
	    NULL;
	t.secret = sec;
	t.insecure = r->insecure || o->insecure;
	if (o->ca != NULL)
		t.ca_file = o->ca;
	else if (r->ca_certificate != NULL && *r->ca_certificate != '\0') {
		if ((tmpca = reg_pem_tmpfile(r->ca_certificate)) == NULL) {
			berr_set(&ctx->err, BERR_OTHER, 0, "cannot write the "
			    "endpoint's CA to a temporary file");
			goto out;
		}
		t.ca_file = tmpca;
	}
	t.org = o->org;
	t.repo = o->repo;
	t.timeout_s = o->timeout > 0 ? o->timeout : REG_PING_TIMEOUT_S;
	reg_test_run(ctx, &t);
	rc = reg_test_finish(ctx, &t);
out:
	if (tmpca != NULL) {
		unlink(tmpca);
		free(tmpca);
	}
	if (sec != given)
		secret_free(sec);
	probe_result_free(t.local);
	registry_free(r);
	return (rc);
}

static int
reg_test_values(struct cmd_ctx *ctx, const struct reg_test_opts *o)
{
	struct reg_test	 t;
	struct secret	*sec = NULL;
	char		*pem = NULL;
	int		 rc = -1;

	memset(&t, 0, sizeof t);
	if (reg_check_url(ctx, o->url, NULL) == -1)
		return (-1);
	if (o->ca != NULL && reg_read_ca(ctx, o->ca, &pem) == -1)
		return (-1);
	if (o->user != NULL && reg_test_secret(ctx, o->pw_stdin, o->pw_file,
	    o->url, &sec) == -1)
		goto out;
	if (cmd_connect(ctx) == -1)
		goto out;
	t.url = o->url;
	t.user = o->user;
	t.secret = sec;
	t.pem = pem;
	t.ca_file = o->ca;
	t.insecure = o->insecure;
	t.org = o->org;
	t.repo = o->repo;
	t.timeout_s = o->timeout > 0 ? o->timeout : REG_PING_TIMEOUT_S;
	reg_test_run(ctx, &t);
	rc = reg_test_finish(ctx, &t);
out:
	secret_free(sec);
	free(pem);
	probe_result_free(t.local);
	return (rc);
}

static int
cmd_registries_test(struct cmd_ctx *ctx)
{
	struct reg_test_opts	o;
	struct cmd_option	opts[] = {
		{ "url", 0, CMD_OPT_STR, &o.url, NULL },
		{ "user", 0, CMD_OPT_STR, &o.user, NULL },
		{ "password-stdin", 0, CMD_OPT_FLAG, &o.pw_stdin, NULL },
		{ "password-file", 0, CMD_OPT_STR, &o.pw_file, NULL },
		{ "ca-file", 0, CMD_OPT_STR, &o.ca, NULL },
		{ "insecure", 0, CMD_OPT_FLAG, &o.insecure, NULL },
		{ "org", 0, CMD_OPT_STR, &o.org, NULL },
		{ "repo", 0, CMD_OPT_STR, &o.repo, NULL },
		{ "timeout", 0, CMD_OPT_INT, &o.timeout, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	memset(&o, 0, sizeof o);
	if (cmd_parse(ctx, opts, 0, 1) == -1)
		return (-1);
	if ((ctx->nargs == 1) == (o.url != NULL))
		return (berr_set(&ctx->err, BERR_USAGE, 0, "give a saved "
		    "endpoint NAME, or --url URL [--user USER ...]"));
	if (o.timeout > 600)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--timeout: at most "
		    "600 seconds"));
	if (o.url != NULL)
		return (reg_test_values(ctx, &o));
	if (o.user != NULL)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "--user goes with "
		    "--url; a saved endpoint uses its access id"));
	if (cmd_connect(ctx) == -1)
		return (-1);
	return (reg_test_saved(ctx, &o, ctx->args[0], NULL));
}

/* ---- rotate ------------------------------------------------------------------------ */

static int
cmd_registries_rotate(struct cmd_ctx *ctx)
{
	struct reg_update	 u;
	struct reg_test_opts	 o;
	struct registry		*r = NULL;
	char			*name;
	int			 rc;
	struct cmd_option	 opts[] = {
		{ "access-id", 0, CMD_OPT_STR, &u.id, NULL },
		REG_CRED_OPTIONS(u.c),
		{ "org", 0, CMD_OPT_STR, &o.org, NULL },
		{ "repo", 0, CMD_OPT_STR, &o.repo, NULL },
		{ "timeout", 0, CMD_OPT_INT, &o.timeout, NULL },
		{ "ca-file", 0, CMD_OPT_STR, &o.ca, NULL },
		{ "insecure", 0, CMD_OPT_FLAG, &o.insecure, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	memset(&u, 0, sizeof u);
	memset(&o, 0, sizeof o);
	if (cmd_parse(ctx, opts, 1, 1) == -1)
		return (-1);
	if (reg_cred_given(&u.c) != 1)
		return (berr_set(&ctx->err, BERR_USAGE, 0, "give the new secret: "
		    "--access-secret-stdin, --access-secret-file, "
		    "--from-chainctl ORG or --from-docker-config"));
	if (o.org == NULL && u.c.chainctl_org != NULL)
		o.org = u.c.chainctl_org;
	rc = reg_update_run(ctx, ctx->args[0], &u, &r);
	if (rc == 0) {
		name = xstrdup(r->name);
		registry_free(r);
		rc = reg_test_saved(ctx, &o, name, u.c.secret);
		free(name);
	}
	reg_cred_clear(&u.c);
	return (rc);
}

/* ---- table ------------------------------------------------------------------------- */

const struct cmd_entry cmd_registries[] = {
	{ "get registries", "[-o table|json]",
	  "list registry endpoints (Administration > Registries)", NULL, 0,
	  cmd_registries_get },
	{ "create registry", "--name N --url URL [--type T] [--access-id ID "
	  "(--access-secret-stdin | --access-secret-file F | --from-chainctl "
	  "ORG | --from-docker-config)] [--description D] [--insecure] "
	  "[--ca-file F]",
	  "create a registry endpoint",
	  "The URL needs its scheme (https://cgr.dev): Harbor would use http "
	  "for a URL without one.\n--insecure turns Verify Remote Cert off; "
	  "--ca-file sets the endpoint's CA certificate (PEM).\n"
	  "--from-chainctl ORG runs chainctl auth configure-docker --parent "
	  "ORG --pull-token and uses the pull token it prints.",
	  CMD_MUTATES, cmd_registries_create },
	{ "update registry", "NAME [--name NEW] [--url URL] [--access-id ID] "
	  "[--access-secret-stdin | --access-secret-file F | --from-chainctl "
	  "ORG | --from-docker-config] [--description D] [--insecure | "
	  "--verify-remote-cert] [--ca-file F]",
	  "change a registry endpoint (only the fields that differ are sent)",
	  NULL, CMD_MUTATES, cmd_registries_update },
	{ "delete registry", "NAME", "delete a registry endpoint",
	  "A refusal (412) names the replication policies and proxy cache "
	  "projects that still use the endpoint.", CMD_MUTATES,
	  cmd_registries_delete },
	{ "rotate registry", "NAME (--access-secret-stdin | --access-secret-file "
	  "F | --from-chainctl ORG | --from-docker-config) [--access-id ID] "
	  "[--org ORG] [--repo REPO] [--ca-file F] [--insecure] [--timeout S]",
	  "replace an endpoint's credentials, then test the connection",
	  "--ca-file and --insecure apply to the local probe only.",
	  CMD_MUTATES, cmd_registries_rotate },
	{ "test-connection", "NAME [--password-stdin | --password-file F] | "
	  "--url URL [--user USER (--password-stdin | --password-file F)] "
	  "[--ca-file F] [--insecure] [--org ORG] [--repo REPO] [--timeout S]",
	  "test a registry endpoint from Harbor (ping) and from this host "
	  "(the probe ladder)",
	  "Harbor masks a saved endpoint's secret, so the local probe needs it "
	  "again (--password-stdin, --password-file, or a prompt); without it "
	  "the credential rungs are skipped.\nExit status 0 only when both "
	  "sides pass.", 0, cmd_registries_test },
	{ NULL, NULL, NULL, NULL, 0, NULL }
};
