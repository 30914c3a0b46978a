/*
 * model.c: freeing, copying and json output of the Harbor models.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "berth/model.h"
#include "berth/xmalloc.h"

/*
 * MODEL_LIFECYCLE(x) generates x_free(), which x_clear()s then frees one
 * struct x, and x_list_free(), which x_clear()s every item of a struct
 * x_list, then frees the items and the list. Both take NULL.
 */
#define MODEL_LIFECYCLE(x)						\
void									\
x##_free(struct x *m)							\
{									\
	x##_clear(m);							\
	free(m);							\
}									\
									\
void									\
x##_list_free(struct x##_list *l)					\
{									\
	size_t	i;							\
									\
	if (l == NULL)							\
		return;							\
	for (i = 0; i < l->n; i++)					\
		x##_clear(&l->items[i]);				\
	free(l->items);							\
	free(l);							\
}

static char *
model_strdup(const char *s)
{
	return (s == NULL ? NULL : xstrdup(s));
}

static void
model_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
systeminfo_free(struct systeminfo *si)
{
	if (si == NULL)
		return;
	free(si->harbor_version);
	free(si->auth_mode);
	free(si->external_url);
	free(si->registry_url);
	free(si->project_creation_restriction);
	free(si->oidc_provider_name);
	free(si);
}

void
health_free(struct health *h)
{
	size_t	i;

	if (h == NULL)
		return;
	for (i = 0; i < h->ncomponents; i++) {
		free(h->components[i].name);
		free(h->components[i].status);
		free(h->components[i].error);
	}
	free(h->components);
	free(h->status);
	free(h);
}

void
user_free(struct user *u)
{
	if (u == NULL)
		return;
	free(u->username);
	free(u->realname);
	free(u->email);
	free(u->comment);
	free(u);
}

void
registry_clear(struct registry *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->url);
	free(r->type);
	free(r->description);
	free(r->status);
	free(r->ca_certificate);
	free(r->cred_type);
	free(r->access_key);
	memset(r, 0, sizeof *r);
}

MODEL_LIFECYCLE(registry)

struct registry *
registry_dup(const struct registry *r)
{
	struct registry	*d;

	if (r == NULL)
		return (NULL);
	d = xmalloc(sizeof *d);
	*d = *r;
	d->name = model_strdup(r->name);
	d->url = model_strdup(r->url);
	d->type = model_strdup(r->type);
	d->description = model_strdup(r->description);
	d->status = model_strdup(r->status);
	d->ca_certificate = model_strdup(r->ca_certificate);
	d->cred_type = model_strdup(r->cred_type);
	d->access_key = model_strdup(r->access_key);
	return (d);
}

void
registry_info_free(struct registry_info *ri)
{
	size_t	i;

	if (ri == NULL)
		return;
	for (i = 0; i < ri->nfilters; i++) {
		free(ri->filters[i].type);
		free(ri->filters[i].style);
		model_strv_free(ri->filters[i].values, ri->filters[i].nvalues);
	}
	free(ri->filters);
	model_strv_free(ri->triggers, ri->ntriggers);
	free(ri->type);
	free(ri->description);
	free(ri);
}

void
strlist_free(struct strlist *sl)
{
	if (sl == NULL)
		return;
	model_strv_free(sl->v, sl->n);
	free(sl);
}

void
adapter_info_list_free(struct adapter_info_list *l)
{
	struct adapter_info	*ai;
	size_t			 i, j;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		ai = &l->items[i];
		for (j = 0; j < ai->nendpoints; j++) {
			free(ai->endpoints[j].key);
			free(ai->endpoints[j].value);
		}
		free(ai->endpoints);
		free(ai->type);
		free(ai->endpoint_type);
		free(ai->access_key_type);
		free(ai->access_key_data);
		free(ai->access_secret_type);
		free(ai->access_secret_data);
	}
	free(l->items);
	free(l);
}

void
project_clear(struct project *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->owner_name);
	free(p->proxy_speed_kb);
	free(p->auto_scan);
	free(p->severity);
	memset(p, 0, sizeof *p);
}

MODEL_LIFECYCLE(project)

struct project *
project_dup(const struct project *p)
{
	struct project	*d;

	if (p == NULL)
		return (NULL);
	d = xmalloc(sizeof *d);
	*d = *p;
	d->name = model_strdup(p->name);
	d->owner_name = model_strdup(p->owner_name);
	d->proxy_speed_kb = model_strdup(p->proxy_speed_kb);
	d->auto_scan = model_strdup(p->auto_scan);
	d->severity = model_strdup(p->severity);
	return (d);
}

void
project_summary_free(struct project_summary *ps)
{
	if (ps == NULL)
		return;
	registry_free(ps->registry);
	free(ps);
}

void
policy_init(struct policy *p)
{
	memset(p, 0, sizeof *p);
	p->dest_namespace_replace_count = -1;
	p->override = 1;
	p->enabled = 1;
	p->speed = -1;
}

void
policy_clear(struct policy *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nfilters; i++) {
		free(p->filters[i].type);
		free(p->filters[i].value);
		free(p->filters[i].decoration);
	}
	free(p->filters);
	free(p->name);
	free(p->description);
	free(p->src_registry_name);
	free(p->dest_registry_name);
	free(p->dest_namespace);
	free(p->trigger_type);
	free(p->trigger_cron);
	memset(p, 0, sizeof *p);
}

MODEL_LIFECYCLE(policy)

struct policy *
policy_dup(const struct policy *p)
{
	struct policy	*d;
	size_t		 i;

	if (p == NULL)
		return (NULL);
	d = xmalloc(sizeof *d);
	*d = *p;
	d->name = model_strdup(p->name);
	d->description = model_strdup(p->description);
	d->src_registry_name = model_strdup(p->src_registry_name);
	d->dest_registry_name = model_strdup(p->dest_registry_name);
	d->dest_namespace = model_strdup(p->dest_namespace);
	d->trigger_type = model_strdup(p->trigger_type);
	d->trigger_cron = model_strdup(p->trigger_cron);
	d->filters = NULL;
	if (p->nfilters > 0) {
		d->filters = xcalloc(p->nfilters, sizeof *d->filters);
		for (i = 0; i < p->nfilters; i++) {
			d->filters[i].type = model_strdup(p->filters[i].type);
			d->filters[i].value = model_strdup(p->filters[i].value);
			d->filters[i].decoration =
			    model_strdup(p->filters[i].decoration);
		}
	}
	return (d);
}

void
execution_clear(struct execution *e)
{
	if (e == NULL)
		return;
	free(e->status);
	free(e->status_text);
	free(e->trigger);
	memset(e, 0, sizeof *e);
}

MODEL_LIFECYCLE(execution)

struct execution *
execution_dup(const struct execution *e)
{
	struct execution	*d;

	if (e == NULL)
		return (NULL);
	d = xmalloc(sizeof *d);
	*d = *e;
	d->status = model_strdup(e->status);
	d->status_text = model_strdup(e->status_text);
	d->trigger = model_strdup(e->trigger);
	return (d);
}

void
task_clear(struct task *t)
{
	if (t == NULL)
		return;
	free(t->status);
	free(t->job_id);
	free(t->operation);
	free(t->resource_type);
	free(t->src_resource);
	free(t->dst_resource);
	memset(t, 0, sizeof *t);
}

MODEL_LIFECYCLE(task)

const struct registry *
registry_list_find_id(const struct registry_list *l, int64_t id)
{
	size_t	i;

	for (i = 0; l != NULL && i < l->n; i++) {
		if (l->items[i].id == id)
			return (&l->items[i]);
	}
	return (NULL);
}

const struct registry *
registry_list_find_name(const struct registry_list *l, const char *name)
{
	size_t	i;

	for (i = 0; l != NULL && i < l->n; i++) {
		if (l->items[i].name != NULL &&
		    strcmp(l->items[i].name, name) == 0)
			return (&l->items[i]);
	}
	return (NULL);
}

const struct policy *
policy_list_find_name(const struct policy_list *l, const char *name)
{
	size_t	i;

	for (i = 0; l != NULL && i < l->n; i++) {
		if (l->items[i].name != NULL &&
		    strcmp(l->items[i].name, name) == 0)
			return (&l->items[i]);
	}
	return (NULL);
}

/*
 * Harbor's final states for executions and tasks. Everything else
 * (Pending, Running, InProgress, Scheduled...) may still change.
 */
int
model_status_final(const char *s)
{
	static const char *const final[] = {
		"Succeed", "Success", "Failed", "Error", "Stopped", "Skipped"
	};
	size_t	i;

	if (s == NULL)
		return (0);
	for (i = 0; i < nitems(final); i++) {
		if (strcmp(s, final[i]) == 0)
			return (1);
	}
	return (0);
}

const char *
model_time_str(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	if (t == 0 || gmtime_r(&t, &tm) == NULL)
		return (buf);
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
	return (buf);
}

/* json helpers: null for missing strings and times. */
static void
model_json_str(cJSON *o, const char *key, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, s);
}

static void
model_json_time(cJSON *o, const char *key, time_t t)
{
	char	buf[32];

	if (t == 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key,
		    model_time_str(t, buf, sizeof buf));
}

static void
model_json_num(cJSON *o, const char *key, int64_t n)
{
	cJSON_AddNumberToObject(o, key, (double)n);
}

struct cJSON *
model_systeminfo_json(const struct systeminfo *si)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_str(o, "harbor_version", si->harbor_version);
	model_json_str(o, "auth_mode", si->auth_mode);
	model_json_str(o, "external_url", si->external_url);
	model_json_str(o, "registry_url", si->registry_url);
	model_json_str(o, "project_creation_restriction",
	    si->project_creation_restriction);
	cJSON_AddBoolToObject(o, "read_only", si->read_only);
	cJSON_AddBoolToObject(o, "self_registration", si->self_registration);
	cJSON_AddBoolToObject(o, "has_ca_root", si->has_ca_root);
	model_json_time(o, "current_time", si->current_time);
	return (o);
}

struct cJSON *
model_health_json(const struct health *h)
{
	cJSON	*o, *a, *c;
	size_t	 i;

	o = cJSON_CreateObject();
	model_json_str(o, "status", h->status);
	a = cJSON_AddArrayToObject(o, "components");
	for (i = 0; i < h->ncomponents; i++) {
		c = cJSON_CreateObject();
		model_json_str(c, "name", h->components[i].name);
		model_json_str(c, "status", h->components[i].status);
		model_json_str(c, "error", h->components[i].error);
		cJSON_AddItemToArray(a, c);
	}
	return (o);
}

struct cJSON *
model_user_json(const struct user *u)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_num(o, "id", u->id);
	model_json_str(o, "username", u->username);
	model_json_str(o, "realname", u->realname);
	model_json_str(o, "email", u->email);
	cJSON_AddBoolToObject(o, "admin", u->sysadmin);
	cJSON_AddBoolToObject(o, "admin_role_in_auth", u->admin_role_in_auth);
	model_json_time(o, "creation_time", u->creation_time);
	return (o);
}

struct cJSON *
model_registry_json(const struct registry *r)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_num(o, "id", r->id);
	model_json_str(o, "name", r->name);
	model_json_str(o, "url", r->url);
	model_json_str(o, "type", r->type);
	model_json_str(o, "description", r->description);
	model_json_str(o, "status", r->status);
	cJSON_AddBoolToObject(o, "insecure", r->insecure);
	cJSON_AddBoolToObject(o, "has_ca_certificate",
	    r->ca_certificate != NULL && *r->ca_certificate != '\0');
	model_json_str(o, "credential_type", r->cred_type);
	model_json_str(o, "access_key", r->access_key);
	cJSON_AddBoolToObject(o, "has_access_secret", r->has_secret);
	model_json_time(o, "creation_time", r->creation_time);
	model_json_time(o, "update_time", r->update_time);
	return (o);
}

static cJSON *
model_strv_json(char *const *v, size_t n)
{
	cJSON	*a;
	size_t	 i;

	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, v[i] == NULL ? cJSON_CreateNull() :
		    cJSON_CreateString(v[i]));
	return (a);
}

struct cJSON *
model_registry_info_json(const struct registry_info *ri)
{
	cJSON	*o, *a, *f;
	size_t	 i;

	o = cJSON_CreateObject();
	model_json_str(o, "type", ri->type);
	model_json_str(o, "description", ri->description);
	a = cJSON_AddArrayToObject(o, "filters");
	for (i = 0; i < ri->nfilters; i++) {
		f = cJSON_CreateObject();
		model_json_str(f, "type", ri->filters[i].type);
		model_json_str(f, "style", ri->filters[i].style);
		cJSON_AddItemToObject(f, "values", model_strv_json(
		    ri->filters[i].values, ri->filters[i].nvalues));
		cJSON_AddItemToArray(a, f);
	}
	cJSON_AddItemToObject(o, "triggers",
	    model_strv_json(ri->triggers, ri->ntriggers));
	cJSON_AddBoolToObject(o, "copy_by_chunk", ri->copy_by_chunk);
	return (o);
}

struct cJSON *
model_project_json(const struct project *p)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_num(o, "id", p->id);
	model_json_str(o, "name", p->name);
	model_json_str(o, "owner_name", p->owner_name);
	cJSON_AddBoolToObject(o, "public", p->public);
	model_json_num(o, "registry_id", p->registry_id);
	cJSON_AddBoolToObject(o, "proxy_cache", p->registry_id > 0);
	model_json_num(o, "repo_count", p->repo_count);
	model_json_time(o, "creation_time", p->creation_time);
	model_json_time(o, "update_time", p->update_time);
	return (o);
}

struct cJSON *
model_policy_json(const struct policy *p)
{
	cJSON	*o, *a, *f;
	size_t	 i;

	o = cJSON_CreateObject();
	model_json_num(o, "id", p->id);
	model_json_str(o, "name", p->name);
	model_json_str(o, "description", p->description);
	model_json_num(o, "src_registry_id", p->src_registry_id);
	model_json_str(o, "src_registry_name", p->src_registry_name);
	model_json_num(o, "dest_registry_id", p->dest_registry_id);
	model_json_str(o, "dest_registry_name", p->dest_registry_name);
	model_json_str(o, "dest_namespace", p->dest_namespace);
	model_json_num(o, "dest_namespace_replace_count",
	    p->dest_namespace_replace_count);
	model_json_str(o, "trigger", p->trigger_type);
	model_json_str(o, "cron", p->trigger_cron);
	a = cJSON_AddArrayToObject(o, "filters");
	for (i = 0; i < p->nfilters; i++) {
		f = cJSON_CreateObject();
		model_json_str(f, "type", p->filters[i].type);
		model_json_str(f, "value", p->filters[i].value);
		model_json_str(f, "decoration", p->filters[i].decoration);
		cJSON_AddItemToArray(a, f);
	}
	cJSON_AddBoolToObject(o, "replicate_deletion", p->replicate_deletion);
	cJSON_AddBoolToObject(o, "override", p->override);
	cJSON_AddBoolToObject(o, "enabled", p->enabled);
	model_json_num(o, "speed", p->speed);
	model_json_time(o, "creation_time", p->creation_time);
	model_json_time(o, "update_time", p->update_time);
	return (o);
}

struct cJSON *
model_execution_json(const struct execution *e)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_num(o, "id", e->id);
	model_json_num(o, "policy_id", e->policy_id);
	model_json_str(o, "status", e->status);
	model_json_str(o, "status_text", e->status_text);
	model_json_str(o, "trigger", e->trigger);
	model_json_time(o, "start_time", e->start_time);
	model_json_time(o, "end_time", e->end_time);
	model_json_num(o, "total", e->total);
	model_json_num(o, "failed", e->failed);
	model_json_num(o, "succeed", e->succeed);
	model_json_num(o, "in_progress", e->in_progress);
	model_json_num(o, "stopped", e->stopped);
	return (o);
}

struct cJSON *
model_task_json(const struct task *t)
{
	cJSON	*o;

	o = cJSON_CreateObject();
	model_json_num(o, "id", t->id);
	model_json_num(o, "execution_id", t->execution_id);
	model_json_str(o, "status", t->status);
	model_json_str(o, "job_id", t->job_id);
	model_json_str(o, "operation", t->operation);
	model_json_str(o, "resource_type", t->resource_type);
	model_json_str(o, "src_resource", t->src_resource);
	model_json_str(o, "dst_resource", t->dst_resource);
	model_json_time(o, "start_time", t->start_time);
	model_json_time(o, "end_time", t->end_time);
	return (o);
}
