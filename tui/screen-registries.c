/*
 * screen-registries.c: Administration > Registries. The endpoints table
 * (sortable, filterable), a new-endpoint form, edit (only changed fields,
 * never the masked secret), delete with type-the-name (a refusal names
 * the policies and proxy projects that use the endpoint), test connection
 * for the form and for a row (Harbor's POST /registries/ping and the
 * local probe ladder, shown together), and credential rotation.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/model.h"
#include "berth/oci.h"
#include "berth/probe.h"
#include "berth/secret.h"
#include "berth/session.h"
#include "berth/xmalloc.h"
#include "tui.h"

#define REGS_PING_MS	20000	/* Harbor's ping can hang for minutes */
#define REGS_NFIELDS	10
#define REGS_CA_MAX	(1024 * 1024)

/* Provider display names as Harbor's portal shows them (cmd-registries.c). */
const char *cmd_registries_provider_name(const char *);

/* What the new/edit form edits. */
struct regs_form {
	int		 provider;	/* index in choices */
	char		*name;
	char		*description;
	char		*url;
	char		*access_id;
	struct secret	*secret;	/* empty: keep (edit) / none */
	int		 verify;
	char		*ca_file;
	int		 on_ok;		/* 0 save, 1 test only */
};

/* The rotate form. */
struct regs_rotate {
	char		*access_id;
	struct secret	*secret;
};

/* The saved endpoint being edited, tested, rotated or deleted. */
struct regs_target {
	int64_t		 id;
	char		*name;
	char		*url;
	char		*description;
	char		*access_key;
	char		*type;
	char		*ca_certificate;
	int		 insecure;
};

/* One test: Harbor's ping and the local ladder, running together. */
struct regs_test {
	int			 running;
	int			 harbor_done;
	int			 harbor_ok;
	int			 harbor_reached;
	char			 harbor_msg[BERR_MSGLEN];
	struct probe		*probe;
	struct probe_result	*local;
	char			*title;
	char			*tmpca;		/* CA written for the probe */
	struct form		*fm;		/* a form's test, or NULL */
	int			 save_after;	/* rotate: report, not save */
};

struct regs {
	struct registry_list	*list;
	struct strlist		*adapters;	/* types */
	const char		**choices;	/* display names, NULL-ended */
	char			**types;	/* same order */
	size_t			 nchoices;
	struct field		 fields[REGS_NFIELDS];
	struct regs_form	 f;
	int			 editing;
	struct regs_target	 t;		/* edit/delete/rotate/test */
	struct form		*fm;
	struct regs_rotate	 rot;
	struct regs_test	 test;
	int			 dep_pending;
	struct policy_list	*dep_pol;
	struct project_list	*dep_proj;
	int			 pending;	/* requests of this load */
	struct berr		 err;
};

static const char *const regs_on_ok[] = {
	"Save", "Test connection only", NULL
};

/* ---- cells ------------------------------------------------------------- */

static const char *
regs_cell_name(const void *r, char *buf, size_t len)
{
	return (((const struct registry *)r)->name);
}

static const char *
regs_cell_status(const void *r, char *buf, size_t len)
{
	const char	*s = ((const struct registry *)r)->status;

	return (s != NULL ? s : "unknown");
}

static enum ui_role
regs_role_status(const void *r)
{
	const char	*s = ((const struct registry *)r)->status;

	if (s != NULL && strcmp(s, "healthy") == 0)
		return (UI_GOOD);
	if (s != NULL && strcmp(s, "unhealthy") == 0)
		return (UI_BAD);
	return (UI_WARN);
}

static const char *
regs_cell_url(const void *r, char *buf, size_t len)
{
	return (((const struct registry *)r)->url);
}

static const char *
regs_cell_provider(const void *r, char *buf, size_t len)
{
	return (cmd_registries_provider_name(((const struct registry *)r)->
	    type));
}

static const char *
regs_cell_verify(const void *r, char *buf, size_t len)
{
	return (((const struct registry *)r)->insecure ? "no" : "yes");
}

static const char *
regs_cell_auth(const void *r, char *buf, size_t len)
{
	const struct registry	*g = r;

	if (g->access_key == NULL || *g->access_key == '\0')
		return ("none");
	snprintf(buf, len, "%s (%s)", g->cred_type != NULL ? g->cred_type :
	    "basic", g->access_key);
	return (buf);
}

static const char *
regs_cell_created(const void *r, char *buf, size_t len)
{
	time_t		t = ((const struct registry *)r)->creation_time;
	struct tm	tm;

	if (t <= 0 || gmtime_r(&t, &tm) == NULL)
		return ("-");
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return (buf);
}

static int
regs_cmp_created(const void *a, const void *b)
{
	time_t	x = ((const struct registry *)a)->creation_time;
	time_t	y = ((const struct registry *)b)->creation_time;

	return (x < y ? -1 : x > y);
}

static const char *
regs_cell_desc(const void *r, char *buf, size_t len)
{
	const char	*d = ((const struct registry *)r)->description;

	return (d != NULL ? d : "");
}

static const char *
regs_row_name(const void *r)
{
	return (((const struct registry *)r)->name);
}

static const struct column regs_cols[] = {
	{ .title = "NAME", .width = 16, .flex = 1, .cell = regs_cell_name },
	{ .title = "STATUS", .width = 9, .cell = regs_cell_status,
	  .role = regs_role_status },
	{ .title = "ENDPOINT URL", .width = 24, .flex = 2,
	  .cell = regs_cell_url },
	{ .title = "PROVIDER", .width = 15, .cell = regs_cell_provider },
	{ .title = "VERIFY CERT", .width = 11, .drop = 1,
	  .cell = regs_cell_verify },
	{ .title = "AUTHENTICATION", .width = 16, .flex = 1, .drop = 2,
	  .cell = regs_cell_auth },
	{ .title = "CREATED", .width = 16, .drop = 3,
	  .cell = regs_cell_created, .cmp = regs_cmp_created },
	{ .title = "DESCRIPTION", .width = 12, .flex = 1, .drop = 4,
	  .cell = regs_cell_desc },
	{ .title = NULL }
};

static const struct keybind regs_keys[] = {
	{ 'n',	ACTION_NEW,	"New endpoint" },
	{ 'e',	ACTION_EDIT,	"Edit the endpoint" },
	{ 'd',	ACTION_DELETE,	"Delete the endpoint (type its name)" },
	{ 't',	ACTION_TEST,	"Test connection from Harbor and from here" },
	{ 'R',	ACTION_ROTATE,	"Rotate: a new pull token, then a test" },
	{ 0,	ACTION_NONE,	NULL }
};

/* ---- targets ------------------------------------------------------------ */

static void
regs_target_clear(struct regs_target *t)
{
	free(t->name);
	free(t->url);
	free(t->description);
	free(t->access_key);
	free(t->type);
	free(t->ca_certificate);
	memset(t, 0, sizeof *t);
}

static char *
regs_dup(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
regs_target_set(struct regs_target *t, const struct registry *r)
{
	regs_target_clear(t);
	t->id = r->id;
	t->name = regs_dup(r->name);
	t->url = regs_dup(r->url);
	t->description = regs_dup(r->description);
	t->access_key = regs_dup(r->access_key);
	t->type = regs_dup(r->type);
	t->ca_certificate = regs_dup(r->ca_certificate);
	t->insecure = r->insecure;
}

/* ---- load --------------------------------------------------------------- */

static void
regs_set_choices(struct regs *g)
{
	size_t	i, n = 0;

	free(g->choices);
	free(g->types);
	n = g->adapters != NULL ? g->adapters->n : 0;
	g->choices = xcalloc(n + 2, sizeof *g->choices);
	g->types = xcalloc(n + 2, sizeof *g->types);
	g->nchoices = 0;
	/* Docker Registry first: the default (cgr.dev needs it). */
	g->types[g->nchoices] = (char *)"docker-registry";
	g->choices[g->nchoices++] = "Docker Registry";
	for (i = 0; i < n; i++) {
		if (strcmp(g->adapters->v[i], "docker-registry") == 0)
			continue;
		g->types[g->nchoices] = g->adapters->v[i];
		g->choices[g->nchoices++] =
		    cmd_registries_provider_name(g->adapters->v[i]);
	}
	g->choices[g->nchoices] = NULL;
}

static void
regs_list_cb(const struct berr *err, struct registry_list *list, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;
	void		**v;
	size_t		 i;

	if (err == NULL) {
		v = xcalloc(list->n + 1, sizeof *v);
		for (i = 0; i < list->n; i++)
			v[i] = &list->items[i];
		table_set_rows(&s->table, v, list->n);
		free(v);
		registry_list_free(g->list);
		g->list = list;
	}
	if (err != NULL && g->err.kind == BERR_NONE)
		g->err = *err;
	if (--g->pending == 0) {
		screen_loaded(s, g->err.kind != BERR_NONE ? &g->err : NULL);
		screen_dirty(s);
	}
}

static void
regs_adapters_cb(const struct berr *err, struct strlist *l, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	/* Without adapters the form still offers Docker Registry. */
	if (err == NULL) {
		strlist_free(g->adapters);
		g->adapters = l;
	}
	regs_set_choices(g);
	if (--g->pending == 0) {
		screen_loaded(s, g->err.kind != BERR_NONE ? &g->err : NULL);
		screen_dirty(s);
	}
}

static void
regs_load(struct screen *s)
{
	struct regs	*g = s->data;
	struct harbor	*h = screen_session(s)->harbor;

	berr_clear(&g->err);
	g->pending = 2;
	harbor_registries_list(h, NULL, &s->owner, regs_list_cb, s);
	harbor_adapters(h, &s->owner, regs_adapters_cb, s);
}

static void
regs_enter(struct screen *s)
{
	struct regs	*g;

	g = xcalloc(1, sizeof *g);
	s->data = g;
	s->table.empty = "no registry endpoints: n creates one";
	regs_set_choices(g);
}

static void
regs_form_clear(struct regs_form *f)
{
	free(f->name);
	free(f->description);
	free(f->url);
	free(f->access_id);
	free(f->ca_file);
	secret_free(f->secret);
	memset(f, 0, sizeof *f);
}

static void
regs_test_reset(struct regs_test *t)
{
	probe_cancel(t->probe);
	probe_result_free(t->local);
	free(t->title);
	if (t->tmpca != NULL) {
		unlink(t->tmpca);
		free(t->tmpca);
	}
	memset(t, 0, sizeof *t);
}

static void
regs_leave(struct screen *s)
{
	struct regs	*g = s->data;

	regs_test_reset(&g->test);
	registry_list_free(g->list);
	strlist_free(g->adapters);
	free(g->choices);
	free(g->types);
	regs_form_clear(&g->f);
	regs_target_clear(&g->t);
	free(g->rot.access_id);
	secret_free(g->rot.secret);
	policy_list_free(g->dep_pol);
	project_list_free(g->dep_proj);
	free(g);
}

/* ---- form fields ---------------------------------------------------------- */

static const char *
regs_check_url(const char *s, void *obj)
{
	struct oci_url	u;
	struct berr	err;
	int		rc;

	rc = oci_url_parse(s, &u, &err);
	oci_url_clear(&u);
	if (rc == 0)
		return (NULL);
	if (strstr(s, "://") == NULL)
		return ("needs https:// (Harbor would silently use http)");
	return ("not a valid http(s) URL");
}

static const char *
regs_check_name(const char *s, void *obj)
{
	if (strchr(s, '/') != NULL || strchr(s, ' ') != NULL)
		return ("no spaces or slashes");
	return (NULL);
}

static void
regs_fields(struct regs *g, int editing)
{
	struct field	*f = g->fields;
	int		 i = 0;

	memset(g->fields, 0, sizeof g->fields);
	f[i++] = (struct field){ .label = "Provider", .kind = FIELD_CHOICE,
	    .offset = offsetof(struct regs_form, provider),
	    .choices = g->choices, .hint = "Docker Registry for cgr.dev" };
	f[i++] = (struct field){ .label = "Name", .kind = FIELD_TEXT,
	    .required = 1, .offset = offsetof(struct regs_form, name),
	    .check = regs_check_name, .hint = "e.g. cgr.dev" };
	f[i++] = (struct field){ .label = "Description", .kind = FIELD_TEXT,
	    .offset = offsetof(struct regs_form, description) };
	f[i++] = (struct field){ .label = "Endpoint URL", .kind = FIELD_TEXT,
	    .required = 1, .offset = offsetof(struct regs_form, url),
	    .check = regs_check_url, .hint = "https://cgr.dev" };
	f[i++] = (struct field){ .label = "Access ID", .kind = FIELD_TEXT,
	    .offset = offsetof(struct regs_form, access_id),
	    .hint = "pull token user name" };
	f[i++] = (struct field){ .label = "Access Secret", .kind = FIELD_SECRET,
	    .offset = offsetof(struct regs_form, secret),
	    .hint = editing ? "empty: keep the saved secret" :
	    "pull token password (never shown)" };
	f[i++] = (struct field){ .label = "Verify Remote Cert",
	    .kind = FIELD_TOGGLE, .offset = offsetof(struct regs_form, verify),
	    .hint = "Space toggles" };
	f[i++] = (struct field){ .label = "CA cert file", .kind = FIELD_TEXT,
	    .offset = offsetof(struct regs_form, ca_file),
	    .hint = editing ? "empty: keep the saved CA certificate" :
	    "PEM file for a private CA (optional)" };
	f[i++] = (struct field){ .label = "On OK", .kind = FIELD_CHOICE,
	    .offset = offsetof(struct regs_form, on_ok), .choices = regs_on_ok,
	    .hint = "Left/Right: save, or test both sides first" };
	f[i] = (struct field){ .label = NULL };
}

/* Read a PEM CA file for Harbor; NULL and *why on error. Caller frees. */
static char *
regs_read_ca(const char *path, const char **why)
{
	FILE	*f;
	char	*b;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		*why = "cannot open the CA file";
		return (NULL);
	}
	b = xmalloc(REGS_CA_MAX + 1);
	n = fread(b, 1, REGS_CA_MAX + 1, f);
	fclose(f);
	if (n > REGS_CA_MAX) {
		free(b);
		*why = "CA file too large";
		return (NULL);
	}
	b[n] = '\0';
	if (strstr(b, "-----BEGIN CERTIFICATE-----") == NULL) {
		free(b);
		*why = "no PEM certificate in the file";
		return (NULL);
	}
	return (b);
}

/* ---- test connection -------------------------------------------------------- */

static void
regs_test_show(struct screen *s)
{
	struct regs	*g = s->data;
	struct regs_test *t = &g->test;
	const char	*d;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*f;

	d = probe_diagnosis(t->harbor_ok, t->harbor_reached, t->local);
	if ((f = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	if (t->harbor_ok)
		fprintf(f, "Harbor's view (POST /registries/ping): ok\n");
	else
		fprintf(f, "Harbor's view (POST /registries/ping): %s: %s\n",
		    t->harbor_reached ? "FAIL" : "not available",
		    t->harbor_msg);
	fprintf(f, "\nThis host's view%s:\n", t->local != NULL &&
	    t->local->anonymous ? " (anonymous: no secret given)" : "");
	if (t->local != NULL)
		probe_print(f, t->local);
	fprintf(f, "\n%s\n", d != NULL ? d : t->local != NULL &&
	    t->local->anonymous ? "Both sides pass; the pull token was not "
	    "tested from this host (no secret given)." : "Both sides pass.");
	fclose(f);
	dialog_message(s->con, t->title, text);
	free(text);
	if (t->fm != NULL)
		form_fail(t->fm, NULL, d == NULL ? "connection test passed" :
		    "connection test failed (see the result)");
	else if (d == NULL)
		console_info(s->con, "%s: both sides pass%s", t->title,
		    t->local != NULL && t->local->anonymous ?
		    " (pull token not tested here: no secret given)" : "");
	else
		console_error(s->con, "%s: %s", t->title, d);
	t->running = 0;
}

static void
regs_test_check(struct screen *s)
{
	struct regs	*g = s->data;

	if (g->test.harbor_done && g->test.local != NULL && g->test.running) {
		regs_test_show(s);
		screen_dirty(s);
	}
}

static void
regs_test_harbor_cb(const struct berr *err, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	g->test.harbor_done = 1;
	g->test.harbor_ok = err == NULL;
	g->test.harbor_reached = 1;
	if (err != NULL) {
		strlcpy(g->test.harbor_msg, err->msg,
		    sizeof g->test.harbor_msg);
		if (err->kind == BERR_TLS || err->kind == BERR_AUTH ||
		    (err->kind == BERR_NET &&
		    strcasestr(err->msg, "timed out") == NULL))
			g->test.harbor_reached = 0;
	}
	regs_test_check(s);
}

static void
regs_test_probe_cb(const struct probe_result *r, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	g->test.probe = NULL;		/* freed by the probe itself */
	g->test.local = probe_result_dup(r);
	regs_test_check(s);
}

/*
 * Start both views. id > 0: Harbor pings the saved endpoint; else rq has
 * the values. url/user/secret/ca_pem/insecure drive the local ladder.
 */
static void
regs_test_start(struct screen *s, const char *title, int64_t id,
    const struct registry_req *rq, const char *url, const char *user,
    const struct secret *secret, const char *ca_pem, int insecure)
{
	struct regs		*g = s->data;
	struct probe_opts	 po;
	char			 path[] = "/tmp/berth-ca.XXXXXX";
	int			 fd;
	FILE			*f;

	regs_test_reset(&g->test);
	g->test.running = 1;
	g->test.title = xstrdup(title);
	if (ca_pem != NULL && *ca_pem != '\0' && (fd = mkstemp(path)) != -1) {
		if ((f = fdopen(fd, "w")) != NULL) {
			fputs(ca_pem, f);
			fclose(f);
			g->test.tmpca = xstrdup(path);
		} else
			close(fd);
	}
	harbor_registry_ping(screen_session(s)->harbor, id, rq, REGS_PING_MS,
	    &s->owner, regs_test_harbor_cb, s);
	memset(&po, 0, sizeof po);
	po.url = url;
	po.user = user;
	po.password = secret;
	po.ca_file = g->test.tmpca;
	po.insecure = insecure;
	g->test.probe = probe_start(screen_session(s)->loop, &po,
	    regs_test_probe_cb, s);
	console_info(s->con, "%s: testing from Harbor and from this host...",
	    title);
}

/* ---- new / edit ---------------------------------------------------------- */

/*
 * Harbor refused values as "unhealthy" without saying why: run both
 * views with those values (by value for Harbor) and show the ladder.
 */
static void
regs_why_unhealthy(struct screen *s, const char *url, const char *user,
    const struct secret *secret, const char *pem, int insecure,
    struct form *fm)
{
	struct regs		*g = s->data;
	struct registry_req	 rq;

	if (g->test.running || url == NULL)
		return;
	registry_req_init(&rq);
	rq.type = "docker-registry";
	rq.url = url;
	rq.access_key = user;
	rq.access_secret = secret;
	rq.ca_certificate = pem;
	rq.insecure = insecure;
	regs_test_start(s, "why unhealthy", 0, &rq, url, user, secret, pem,
	    insecure);
	g->test.fm = fm;
}

static void
regs_saved_cb(const struct berr *err, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	if (err != NULL) {
		form_fail(g->fm, NULL, err->msg);
		if (strcasestr(err->msg, "unhealthy") != NULL) {
			const char	*why;
			char		*pem = NULL;

			if (g->f.ca_file != NULL && *g->f.ca_file != '\0')
				pem = regs_read_ca(g->f.ca_file, &why);
			if (pem == NULL && g->editing)
				pem = regs_dup(g->t.ca_certificate);
			regs_why_unhealthy(s, g->f.url, *g->f.access_id ?
			    g->f.access_id : NULL, g->f.secret, pem,
			    !g->f.verify, g->fm);
			free(pem);
		}
		return;
	}
	console_info(s->con, "registry \"%s\" %s", g->f.name,
	    g->editing ? "updated" : "created");
	form_done(g->fm);
	g->fm = NULL;
	s->ops->load(s);
}

static void
regs_created_cb(const struct berr *err, int64_t id, void *arg)
{
	regs_saved_cb(err, arg);
}

/* Fill rq from the form: only what changed when editing. */
static int
regs_req(struct regs *g, struct registry_req *rq, char **pem,
    const char **why)
{
	struct regs_form	*f = &g->f;
	struct regs_target	*t = &g->t;
	int			 n = 0;

	registry_req_init(rq);
	*pem = NULL;
	if (f->ca_file != NULL && *f->ca_file != '\0' &&
	    (*pem = regs_read_ca(f->ca_file, why)) == NULL)
		return (-1);
#define CHANGED(a, b) (!g->editing || strcmp((a) ? (a) : "", (b) ? (b) : ""))
	if (CHANGED(f->name, t->name) && ++n)
		rq->name = f->name;
	if (CHANGED(f->description, t->description) && ++n)
		rq->description = f->description;
	if (CHANGED(f->url, t->url) && ++n)
		rq->url = f->url;
	if (*f->access_id != '\0' && CHANGED(f->access_id, t->access_key) &&
	    ++n)
		rq->access_key = f->access_id;
#undef CHANGED
	if (f->secret != NULL) {
		rq->access_secret = f->secret;
		if (rq->access_key == NULL && *f->access_id != '\0')
			rq->access_key = f->access_id;
		n++;
	}
	if (!g->editing || (!f->verify) != t->insecure) {
		rq->insecure = !f->verify;
		n++;
	}
	if (*pem != NULL) {
		rq->ca_certificate = *pem;
		n++;
	}
	if (!g->editing)
		rq->type = g->types[f->provider];
	return (n);
}

static int
regs_form_submit(struct form *fm, void *obj, void *arg)
{
	struct screen		*s = arg;
	struct regs		*g = s->data;
	struct registry_req	 rq, tq;
	struct harbor		*h = screen_session(s)->harbor;
	const char		*why = NULL;
	char			*pem;
	int			 n;

	g->fm = fm;
	if ((n = regs_req(g, &rq, &pem, &why)) == -1) {
		form_fail(fm, "CA cert file", why);
		return (-1);
	}
	if (g->f.on_ok == 1) {
		/* Test the values: by value for Harbor (not saved). */
		registry_req_init(&tq);
		tq.type = g->types[g->f.provider];
		tq.url = g->f.url;
		tq.access_key = *g->f.access_id ? g->f.access_id : NULL;
		tq.access_secret = g->f.secret;
		tq.ca_certificate = pem;
		tq.insecure = !g->f.verify;
		/*
		 * Editing: Harbor pings the saved endpoint with the form's
		 * values over it, so the saved (masked) secret is used
		 * unless a new one was typed.
		 */
		if (pem == NULL && g->editing)
			tq.ca_certificate = g->t.ca_certificate;
		regs_test_start(s, g->f.name, g->editing ? g->t.id : 0, &tq,
		    g->f.url, tq.access_key, g->f.secret, tq.ca_certificate,
		    !g->f.verify);
		g->test.fm = fm;
		free(pem);
		return (0);
	}
	if (g->editing && n == 0) {
		free(pem);
		console_info(s->con, "registry \"%s\": nothing to change",
		    g->t.name);
		form_done(fm);
		return (0);
	}
	if (g->editing)
		harbor_registry_update(h, g->t.id, &rq, &s->owner,
		    regs_saved_cb, s);
	else
		harbor_registry_create(h, &rq, &s->owner, regs_created_cb, s);
	free(pem);
	return (0);
}

static void
regs_new(struct screen *s)
{
	struct regs	*g = s->data;

	regs_form_clear(&g->f);
	regs_target_clear(&g->t);
	g->editing = 0;
	g->f.verify = 1;
	g->f.provider = 0;		/* Docker Registry */
	g->f.url = xstrdup("https://cgr.dev");
	g->f.name = xstrdup("cgr.dev");
	regs_fields(g, 0);
	g->fm = form_open(s->con, "New registry endpoint", g->fields, &g->f,
	    regs_form_submit, s);
}

static void
regs_edit(struct screen *s, const struct registry *r)
{
	struct regs	*g = s->data;
	size_t		 i;

	regs_form_clear(&g->f);
	regs_target_set(&g->t, r);
	g->editing = 1;
	g->f.name = xstrdup(r->name);
	g->f.description = xstrdup(r->description ? r->description : "");
	g->f.url = xstrdup(r->url ? r->url : "");
	g->f.access_id = xstrdup(r->access_key ? r->access_key : "");
	g->f.verify = !r->insecure;
	for (i = 0; i < g->nchoices; i++) {
		if (r->type != NULL && strcmp(g->types[i], r->type) == 0)
			g->f.provider = (int)i;
	}
	regs_fields(g, 1);
	g->fm = form_open(s->con, "Edit registry endpoint", g->fields, &g->f,
	    regs_form_submit, s);
}

/* ---- delete --------------------------------------------------------------- */

static void
regs_dep_done(struct screen *s)
{
	struct regs	*g = s->data;
	char		*msg, *n;
	size_t		 i, cnt = 0;

	if (--g->dep_pending > 0)
		return;
	msg = xstrdup("");
	for (i = 0; g->dep_pol != NULL && i < g->dep_pol->n; i++) {
		if (g->dep_pol->items[i].src_registry_id != g->t.id &&
		    g->dep_pol->items[i].dest_registry_id != g->t.id)
			continue;
		xasprintf(&n, "%s\n  replication rule \"%s\"", msg,
		    g->dep_pol->items[i].name);
		free(msg);
		msg = n;
		cnt++;
	}
	for (i = 0; g->dep_proj != NULL && i < g->dep_proj->n; i++) {
		if (g->dep_proj->items[i].registry_id != g->t.id)
			continue;
		xasprintf(&n, "%s\n  proxy cache project \"%s\"", msg,
		    g->dep_proj->items[i].name);
		free(msg);
		msg = n;
		cnt++;
	}
	xasprintf(&n, "Harbor refused to delete \"%s\": it is still used "
	    "by:%s\n\nDelete or change those first.", g->t.name, cnt > 0 ?
	    msg : "\n  (nothing berth can see)");
	dialog_message(s->con, "Registry in use", n);
	console_error(s->con, "registry \"%s\" is in use", g->t.name);
	free(n);
	free(msg);
	policy_list_free(g->dep_pol);
	project_list_free(g->dep_proj);
	g->dep_pol = NULL;
	g->dep_proj = NULL;
}

static void
regs_dep_pol_cb(const struct berr *err, struct policy_list *l, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	g->dep_pol = l;
	regs_dep_done(s);
}

static void
regs_dep_proj_cb(const struct berr *err, struct project_list *l, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	g->dep_proj = l;
	regs_dep_done(s);
}

static void
regs_deleted_cb(const struct berr *err, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;
	struct harbor	*h = screen_session(s)->harbor;

	if (err == NULL) {
		console_info(s->con, "registry \"%s\" deleted", g->t.name);
		s->ops->load(s);
		return;
	}
	if (err->status != 412 && err->status != 409) {
		console_error(s->con, "delete \"%s\": %s", g->t.name, err->msg);
		return;
	}
	g->dep_pending = 2;
	harbor_policies_list(h, NULL, &s->owner, regs_dep_pol_cb, s);
	harbor_projects_list(h, NULL, &s->owner, regs_dep_proj_cb, s);
}

static void
regs_delete_confirmed(int ok, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	if (!ok) {
		console_info(s->con, "delete cancelled");
		return;
	}
	harbor_registry_delete(screen_session(s)->harbor, g->t.id, &s->owner,
	    regs_deleted_cb, s);
}

/* ---- rotate and row test ------------------------------------------------- */

static const struct field regs_rotate_fields[] = {
	{ .label = "Access ID", .kind = FIELD_TEXT,
	  .offset = offsetof(struct regs_rotate, access_id),
	  .hint = "the new pull token's user name" },
	{ .label = "Access Secret", .kind = FIELD_SECRET, .required = 1,
	  .offset = offsetof(struct regs_rotate, secret),
	  .hint = "the new pull token (never shown)" },
	{ .label = NULL }
};

static const struct field regs_testsecret_fields[] = {
	{ .label = "Access Secret", .kind = FIELD_SECRET,
	  .offset = offsetof(struct regs_rotate, secret),
	  .hint = "Harbor masks it; empty: test this host anonymously" },
	{ .label = NULL }
};

static void
regs_row_test(struct screen *s, const struct secret *secret)
{
	struct regs	*g = s->data;

	regs_test_start(s, g->t.name, g->t.id, NULL, g->t.url,
	    g->t.access_key, secret, g->t.ca_certificate, g->t.insecure);
}

static void
regs_rotated_cb(const struct berr *err, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	if (err != NULL) {
		form_fail(g->fm, NULL, err->msg);
		if (strcasestr(err->msg, "unhealthy") != NULL)
			regs_why_unhealthy(s, g->t.url, g->rot.access_id != NULL &&
			    *g->rot.access_id ? g->rot.access_id :
			    g->t.access_key, g->rot.secret, g->t.ca_certificate,
			    g->t.insecure, g->fm);
		return;
	}
	form_done(g->fm);
	g->fm = NULL;
	console_info(s->con, "registry \"%s\": credentials rotated",
	    g->t.name);
	if (g->rot.access_id != NULL && *g->rot.access_id != '\0') {
		free(g->t.access_key);
		g->t.access_key = xstrdup(g->rot.access_id);
	}
	regs_row_test(s, g->rot.secret);
	s->ops->load(s);
}

static int
regs_rotate_submit(struct form *fm, void *obj, void *arg)
{
	struct screen		*s = arg;
	struct regs		*g = s->data;
	struct registry_req	 rq;

	g->fm = fm;
	registry_req_init(&rq);
	rq.access_key = g->rot.access_id != NULL && *g->rot.access_id ?
	    g->rot.access_id : g->t.access_key;
	rq.access_secret = g->rot.secret;
	harbor_registry_update(screen_session(s)->harbor, g->t.id, &rq,
	    &s->owner, regs_rotated_cb, s);
	return (0);
}

static int
regs_testsecret_submit(struct form *fm, void *obj, void *arg)
{
	struct screen	*s = arg;
	struct regs	*g = s->data;

	form_done(fm);
	regs_row_test(s, g->rot.secret);
	return (0);
}

static int
regs_action(struct screen *s, enum action a)
{
	struct regs		*g = s->data;
	const struct registry	*r = table_selected(&s->table);
	char			 text[512];

	switch (a) {
	case ACTION_BACK:		/* Esc and Ctrl-R stop a test too */
	case ACTION_REFRESH:
		if (!g->test.running)
			return (ACT_PASS);
		regs_test_reset(&g->test);
		if (a == ACTION_REFRESH || req_owner_busy(&s->owner))
			return (ACT_PASS);	/* cancels Harbor's ping */
		console_info(s->con, "test cancelled");
		return (ACT_DONE);
	case ACTION_NEW:
		regs_new(s);
		return (ACT_DONE);
	case ACTION_EDIT:
	case ACTION_DELETE:
	case ACTION_TEST:
	case ACTION_ROTATE:
	case ACTION_OPEN:
		break;
	default:
		return (ACT_PASS);
	}
	if (r == NULL)
		return (ACT_DONE);
	switch (a) {
	case ACTION_EDIT:
		regs_edit(s, r);
		break;
	case ACTION_DELETE:
		regs_target_set(&g->t, r);
		snprintf(text, sizeof text, "Delete the registry endpoint "
		    "\"%s\" (%s)? Type its name to confirm.", r->name, r->url);
		dialog_confirm_name(s->con, "Delete registry", text, r->name,
		    regs_delete_confirmed, s);
		break;
	case ACTION_TEST:
		if (g->test.running) {
			console_info(s->con, "a test is already running");
			break;
		}
		regs_target_set(&g->t, r);
		free(g->rot.access_id);
		secret_free(g->rot.secret);
		memset(&g->rot, 0, sizeof g->rot);
		g->fm = form_open(s->con, "Test connection",
		    regs_testsecret_fields, &g->rot, regs_testsecret_submit, s);
		break;
	case ACTION_ROTATE:
		regs_target_set(&g->t, r);
		free(g->rot.access_id);
		secret_free(g->rot.secret);
		memset(&g->rot, 0, sizeof g->rot);
		g->rot.access_id = xstrdup(r->access_key ? r->access_key : "");
		g->fm = form_open(s->con, "Rotate credentials",
		    regs_rotate_fields, &g->rot, regs_rotate_submit, s);
		break;
	default:	/* open: the details */
		snprintf(text, sizeof text, "Name         %s\nStatus       %s\n"
		    "Endpoint URL %s\nProvider     %s\nVerify cert  %s\n"
		    "Access ID    %s\nCA cert      %s\nDescription  %s",
		    r->name, r->status ? r->status : "unknown", r->url,
		    cmd_registries_provider_name(r->type),
		    r->insecure ? "no" : "yes",
		    r->access_key ? r->access_key : "-",
		    r->ca_certificate && *r->ca_certificate ? "set" : "-",
		    r->description ? r->description : "");
		dialog_message(s->con, r->name, text);
		break;
	}
	return (ACT_DONE);
}

static const char *
regs_copy(struct screen *s)
{
	const struct registry	*r = table_selected(&s->table);

	return (r != NULL ? r->url : NULL);
}

const struct screen_ops screen_registries_ops = {
	.name = "registries",
	.title = "Registries",
	.columns = regs_cols,
	.keys = regs_keys,
	.row_name = regs_row_name,
	.enter = regs_enter,
	.load = regs_load,
	.leave = regs_leave,
	.action = regs_action,
	.copy = regs_copy,
};
