/*
 * harbor-map.c: Harbor JSON -> models (and models -> request bodies).
 *
 * Input is hostile until mapped: json_parse() bounds size and depth, the
 * json_get_*() getters check every type, unknown fields are ignored, and
 * a missing required field or a mistyped one is a BERR_JSON error naming
 * the object and the field. No cJSON outlives a mapper.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "berth/berr.h"
#include "berth/harbor.h"
#include "berth/json.h"
#include "berth/model.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define REQ	1
#define OPT	0

typedef int (*map_one_cb)(const cJSON *, void *, struct berr *);
typedef void (*map_clear_cb)(void *);

static int
map_expect_object(const cJSON *o, struct berr *err)
{
	if (!cJSON_IsObject(o))
		return (berr_set(err, BERR_JSON, 0, "expected object, got %s",
		    json_type_name(o)));
	return (0);
}

/* Parse body; the root must be an object. */
static cJSON *
map_parse_object(const char *body, size_t len, struct berr *err)
{
	cJSON	*root;

	if ((root = json_parse(body, len, err)) == NULL)
		return (NULL);
	if (map_expect_object(root, err) == -1) {
		cJSON_Delete(root);
		return (NULL);
	}
	return (root);
}

/*
 * Map a JSON array of objects into a new array of elsize-byte elements
 * (zeroed, then filled by one()). On error, elements mapped so far are
 * cleared and freed. *itemsp is NULL for an empty array.
 */
static int
map_array(const cJSON *arr, size_t elsize, map_one_cb one,
    map_clear_cb clear, const char *what, void **itemsp, size_t *np,
    struct berr *err)
{
	const cJSON	*item;
	char		*items = NULL;
	size_t		 n, i = 0, j;

	*itemsp = NULL;
	*np = 0;
	if (!cJSON_IsArray(arr))
		return (berr_set(err, BERR_JSON, 0, "expected array, got %s",
		    json_type_name(arr)));
	n = (size_t)cJSON_GetArraySize(arr);
	if (n > 0)
		items = xcalloc(n, elsize);
	cJSON_ArrayForEach(item, arr) {
		if (i == n)
			break;
		if (one(item, items + i * elsize, err) == -1) {
			berr_prefix(err, "%s %zu", what, i);
			for (j = 0; j <= i; j++)
				clear(items + j * elsize);
			free(items);
			return (-1);
		}
		i++;
	}
	*itemsp = items;
	*np = i;
	return (0);
}

/* Map a body that is a JSON array. */
static int
map_body_array(const char *body, size_t len, size_t elsize, map_one_cb one,
    map_clear_cb clear, const char *what, void **itemsp, size_t *np,
    struct berr *err)
{
	cJSON	*root;
	int	 rv;

	if ((root = json_parse(body, len, err)) == NULL)
		return (-1);
	rv = map_array(root, elsize, one, clear, what, itemsp, np, err);
	cJSON_Delete(root);
	return (rv);
}

/*
 * Map a body that is one JSON object into a new elsize-byte model
 * (zeroed, then filled by one()). On error the model is cleared and
 * freed, and err is prefixed with what.
 */
static int
map_body_one(const char *body, size_t len, size_t elsize, map_one_cb one,
    map_clear_cb clear, const char *what, void **outp, struct berr *err)
{
	cJSON	*root;
	void	*m;

	*outp = NULL;
	if ((root = json_parse(body, len, err)) == NULL)
		return (berr_prefix(err, "%s", what));
	m = xcalloc(1, elsize);
	if (one(root, m, err) == -1) {
		cJSON_Delete(root);
		clear(m);
		free(m);
		return (berr_prefix(err, "%s", what));
	}
	cJSON_Delete(root);
	*outp = m;
	return (0);
}

/*
 * MAP_LIST(x, fn) generates map_x_clear() (x_clear() as a map_array()
 * callback) and harbor_map_fn(), which maps a body that is an array of
 * objects, each by map_x_obj(), into a new struct x_list; an error
 * names the item as "x N".
 */
#define MAP_LIST(x, fn)							\
static void								\
map_##x##_clear(void *p)						\
{									\
	x##_clear(p);							\
}									\
									\
int									\
harbor_map_##fn(const char *body, size_t len, struct x##_list **out,	\
    struct berr *err)							\
{									\
	struct x##_list	*l;						\
	void		*items;						\
	size_t		 n;						\
									\
	*out = NULL;							\
	if (map_body_array(body, len, sizeof *l->items, map_##x##_obj,	\
	    map_##x##_clear, #x, &items, &n, err) == -1)		\
		return (-1);						\
	l = xcalloc(1, sizeof *l);					\
	l->items = items;						\
	l->n = n;							\
	*out = l;							\
	return (0);							\
}

/*
 * MAP_ONE(x) generates harbor_map_x(), which maps a body that is one
 * object, by map_x_obj(), into a new struct x; errors are prefixed "x".
 * It uses map_x_clear() from MAP_LIST(x, ...).
 */
#define MAP_ONE(x)							\
int									\
harbor_map_##x(const char *body, size_t len, struct x **out,		\
    struct berr *err)							\
{									\
	void	*m;							\
	int	 rv;							\
									\
	rv = map_body_one(body, len, sizeof **out, map_##x##_obj,	\
	    map_##x##_clear, #x, &m, err);				\
	*out = m;							\
	return (rv);							\
}

/* An array of strings (nulls skipped). */
static int
map_strv(const cJSON *arr, const char *key, char ***vp, size_t *np,
    struct berr *err)
{
	const cJSON	*item;
	char		**v = NULL;
	size_t		 n = 0;

	*vp = NULL;
	*np = 0;
	if (arr == NULL)
		return (0);
	if (!cJSON_IsArray(arr))
		return (berr_set(err, BERR_JSON, 0,
		    "field \"%s\": expected array, got %s", key,
		    json_type_name(arr)));
	cJSON_ArrayForEach(item, arr) {
		if (cJSON_IsNull(item))
			continue;
		if (!cJSON_IsString(item)) {
			while (n > 0)
				free(v[--n]);
			free(v);
			return (berr_set(err, BERR_JSON, 0,
			    "field \"%s\": expected string, got %s", key,
			    json_type_name(item)));
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(item->valuestring);
	}
	*vp = v;
	*np = n;
	return (0);
}

/* System info, health, user. */

static int
map_systeminfo_obj(const cJSON *o, struct systeminfo *si, struct berr *err)
{
	if (json_get_str(o, "harbor_version", &si->harbor_version, OPT,
	    err) == -1 ||
	    json_get_str(o, "auth_mode", &si->auth_mode, OPT, err) == -1 ||
	    json_get_str(o, "external_url", &si->external_url, OPT, err) ==
	    -1 ||
	    json_get_str(o, "registry_url", &si->registry_url, OPT, err) ==
	    -1 ||
	    json_get_str(o, "project_creation_restriction",
	    &si->project_creation_restriction, OPT, err) == -1 ||
	    json_get_str(o, "oidc_provider_name", &si->oidc_provider_name,
	    OPT, err) == -1 ||
	    json_get_bool(o, "read_only", &si->read_only, OPT, err) == -1 ||
	    json_get_bool(o, "self_registration", &si->self_registration,
	    OPT, err) == -1 ||
	    json_get_bool(o, "has_ca_root", &si->has_ca_root, OPT, err) ==
	    -1 ||
	    json_get_bool(o, "notification_enable", &si->notification_enable,
	    OPT, err) == -1 ||
	    json_get_time(o, "current_time", &si->current_time, OPT, err) ==
	    -1)
		return (-1);
	return (0);
}

int
harbor_map_systeminfo(const char *body, size_t len, struct systeminfo **out,
    struct berr *err)
{
	struct systeminfo	*si;
	cJSON			*root;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "systeminfo"));
	si = xcalloc(1, sizeof *si);
	if (map_systeminfo_obj(root, si, err) == -1) {
		cJSON_Delete(root);
		systeminfo_free(si);
		return (berr_prefix(err, "systeminfo"));
	}
	cJSON_Delete(root);
	*out = si;
	return (0);
}

static int
map_component_obj(const cJSON *o, void *p, struct berr *err)
{
	struct health_component	*c = p;

	if (map_expect_object(o, err) == -1 ||
	    json_get_str(o, "name", &c->name, REQ, err) == -1 ||
	    json_get_str(o, "status", &c->status, OPT, err) == -1 ||
	    json_get_str(o, "error", &c->error, OPT, err) == -1)
		return (-1);
	return (0);
}

static void
map_component_clear(void *p)
{
	struct health_component	*c = p;

	free(c->name);
	free(c->status);
	free(c->error);
}

int
harbor_map_health(const char *body, size_t len, struct health **out,
    struct berr *err)
{
	struct health	*h;
	const cJSON	*arr;
	cJSON		*root;
	void		*items;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "health"));
	h = xcalloc(1, sizeof *h);
	if (json_get_str(root, "status", &h->status, REQ, err) == -1 ||
	    json_get_array(root, "components", &arr, OPT, err) == -1)
		goto fail;
	if (arr != NULL) {
		if (map_array(arr, sizeof *h->components, map_component_obj,
		    map_component_clear, "component", &items, &h->ncomponents,
		    err) == -1)
			goto fail;
		h->components = items;
	}
	cJSON_Delete(root);
	*out = h;
	return (0);
fail:
	cJSON_Delete(root);
	health_free(h);
	return (berr_prefix(err, "health"));
}

int
harbor_map_user(const char *body, size_t len, struct user **out,
    struct berr *err)
{
	struct user	*u;
	cJSON		*root;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "user"));
	u = xcalloc(1, sizeof *u);
	if (json_get_i64(root, "user_id", &u->id, OPT, err) == -1 ||
	    json_get_str(root, "username", &u->username, REQ, err) == -1 ||
	    json_get_str(root, "realname", &u->realname, OPT, err) == -1 ||
	    json_get_str(root, "email", &u->email, OPT, err) == -1 ||
	    json_get_str(root, "comment", &u->comment, OPT, err) == -1 ||
	    json_get_bool(root, "sysadmin_flag", &u->sysadmin, OPT, err) ==
	    -1 ||
	    json_get_bool(root, "admin_role_in_auth", &u->admin_role_in_auth,
	    OPT, err) == -1 ||
	    json_get_time(root, "creation_time", &u->creation_time, OPT,
	    err) == -1 ||
	    json_get_time(root, "update_time", &u->update_time, OPT, err) ==
	    -1) {
		cJSON_Delete(root);
		user_free(u);
		return (berr_prefix(err, "user"));
	}
	cJSON_Delete(root);
	*out = u;
	return (0);
}

/* Registries. */

static int
map_registry_cred(const cJSON *o, struct registry *r, struct berr *err)
{
	const cJSON	*cred;
	char		*secret = NULL;

	if (json_get_obj(o, "credential", &cred, OPT, err) == -1)
		return (-1);
	if (cred == NULL)
		return (0);
	if (map_expect_object(cred, err) == -1)
		return (berr_prefix(err, "field \"credential\""));
	if (json_get_str(cred, "type", &r->cred_type, OPT, err) == -1 ||
	    json_get_str(cred, "access_key", &r->access_key, OPT, err) == -1 ||
	    json_get_str(cred, "access_secret", &secret, OPT, err) == -1)
		return (berr_prefix(err, "field \"credential\""));
	if (secret != NULL) {
		r->has_secret = *secret != '\0';
		freezero(secret, strlen(secret));
	}
	return (0);
}

static int
map_registry_obj(const cJSON *o, void *p, struct berr *err)
{
	struct registry	*r = p;

	if (map_expect_object(o, err) == -1 ||
	    json_get_i64(o, "id", &r->id, REQ, err) == -1 ||
	    json_get_str(o, "name", &r->name, REQ, err) == -1 ||
	    json_get_str(o, "url", &r->url, OPT, err) == -1 ||
	    json_get_str(o, "type", &r->type, OPT, err) == -1 ||
	    json_get_str(o, "description", &r->description, OPT, err) == -1 ||
	    json_get_str(o, "status", &r->status, OPT, err) == -1 ||
	    json_get_bool(o, "insecure", &r->insecure, OPT, err) == -1 ||
	    json_get_str(o, "ca_certificate", &r->ca_certificate, OPT, err) ==
	    -1 ||
	    map_registry_cred(o, r, err) == -1 ||
	    json_get_time(o, "creation_time", &r->creation_time, OPT, err) ==
	    -1 ||
	    json_get_time(o, "update_time", &r->update_time, OPT, err) == -1)
		return (-1);
	return (0);
}

MAP_LIST(registry, registries)

MAP_ONE(registry)

static int
map_filter_style_obj(const cJSON *o, void *p, struct berr *err)
{
	struct registry_filter	*f = p;
	const cJSON		*values;

	if (map_expect_object(o, err) == -1 ||
	    json_get_str(o, "type", &f->type, OPT, err) == -1 ||
	    json_get_str(o, "style", &f->style, OPT, err) == -1 ||
	    json_get_array(o, "values", &values, OPT, err) == -1 ||
	    map_strv(values, "values", &f->values, &f->nvalues, err) == -1)
		return (-1);
	return (0);
}

static void
map_filter_style_clear(void *p)
{
	struct registry_filter	*f = p;
	size_t			 i;

	free(f->type);
	free(f->style);
	for (i = 0; i < f->nvalues; i++)
		free(f->values[i]);
	free(f->values);
}

int
harbor_map_registry_info(const char *body, size_t len,
    struct registry_info **out, struct berr *err)
{
	struct registry_info	*ri;
	const cJSON		*filters, *triggers;
	cJSON			*root;
	void			*items;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "registry info"));
	ri = xcalloc(1, sizeof *ri);
	if (json_get_str(root, "type", &ri->type, OPT, err) == -1 ||
	    json_get_str(root, "description", &ri->description, OPT, err) ==
	    -1 ||
	    json_get_bool(root, "supported_copy_by_chunk", &ri->copy_by_chunk,
	    OPT, err) == -1 ||
	    json_get_array(root, "supported_triggers", &triggers, OPT, err) ==
	    -1 ||
	    map_strv(triggers, "supported_triggers", &ri->triggers,
	    &ri->ntriggers, err) == -1 ||
	    json_get_array(root, "supported_resource_filters", &filters, OPT,
	    err) == -1)
		goto fail;
	if (filters != NULL) {
		if (map_array(filters, sizeof *ri->filters,
		    map_filter_style_obj, map_filter_style_clear, "filter",
		    &items, &ri->nfilters, err) == -1)
			goto fail;
		ri->filters = items;
	}
	cJSON_Delete(root);
	*out = ri;
	return (0);
fail:
	cJSON_Delete(root);
	registry_info_free(ri);
	return (berr_prefix(err, "registry info"));
}

int
harbor_map_strlist(const char *body, size_t len, struct strlist **out,
    struct berr *err)
{
	struct strlist	*sl;
	cJSON		*root;

	*out = NULL;
	if ((root = json_parse(body, len, err)) == NULL)
		return (-1);
	sl = xcalloc(1, sizeof *sl);
	if (map_strv(root, "(list)", &sl->v, &sl->n, err) == -1 ||
	    !cJSON_IsArray(root)) {
		if (!cJSON_IsArray(root))
			berr_set(err, BERR_JSON, 0, "expected array, got %s",
			    json_type_name(root));
		cJSON_Delete(root);
		strlist_free(sl);
		return (-1);
	}
	cJSON_Delete(root);
	*out = sl;
	return (0);
}

/* Adapter infos: {"docker-registry": {endpoint_pattern, credential_pattern}} */

static int
map_adapter_endpoint_obj(const cJSON *o, void *p, struct berr *err)
{
	struct adapter_endpoint	*e = p;

	if (map_expect_object(o, err) == -1 ||
	    json_get_str(o, "key", &e->key, OPT, err) == -1 ||
	    json_get_str(o, "value", &e->value, OPT, err) == -1)
		return (-1);
	return (0);
}

static void
map_adapter_endpoint_clear(void *p)
{
	struct adapter_endpoint	*e = p;

	free(e->key);
	free(e->value);
}

static int
map_adapter_info_obj(const cJSON *o, struct adapter_info *ai,
    struct berr *err)
{
	const cJSON	*ep, *cp, *eps;
	void		*items;

	if (map_expect_object(o, err) == -1 ||
	    json_get_obj(o, "endpoint_pattern", &ep, OPT, err) == -1 ||
	    json_get_obj(o, "credential_pattern", &cp, OPT, err) == -1)
		return (-1);
	if (ep != NULL) {
		if (map_expect_object(ep, err) == -1 ||
		    json_get_str(ep, "endpoint_type", &ai->endpoint_type, OPT,
		    err) == -1 ||
		    json_get_array(ep, "endpoints", &eps, OPT, err) == -1)
			return (berr_prefix(err, "endpoint_pattern"));
		if (eps != NULL) {
			if (map_array(eps, sizeof *ai->endpoints,
			    map_adapter_endpoint_obj,
			    map_adapter_endpoint_clear, "endpoint", &items,
			    &ai->nendpoints, err) == -1)
				return (berr_prefix(err, "endpoint_pattern"));
			ai->endpoints = items;
		}
	}
	if (cp != NULL) {
		if (map_expect_object(cp, err) == -1 ||
		    json_get_str(cp, "access_key_type", &ai->access_key_type,
		    OPT, err) == -1 ||
		    json_get_str(cp, "access_key_data", &ai->access_key_data,
		    OPT, err) == -1 ||
		    json_get_str(cp, "access_secret_type",
		    &ai->access_secret_type, OPT, err) == -1 ||
		    json_get_str(cp, "access_secret_data",
		    &ai->access_secret_data, OPT, err) == -1)
			return (berr_prefix(err, "credential_pattern"));
	}
	return (0);
}

static int
map_adapter_info_cmp(const void *a, const void *b)
{
	const struct adapter_info	*x = a, *y = b;

	return (strcmp(x->type, y->type));
}

int
harbor_map_adapter_infos(const char *body, size_t len,
    struct adapter_info_list **out, struct berr *err)
{
	struct adapter_info_list	*l;
	const cJSON			*item;
	cJSON				*root;
	size_t				 n;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "adapter infos"));
	l = xcalloc(1, sizeof *l);
	n = (size_t)cJSON_GetArraySize(root);
	if (n > 0)
		l->items = xcalloc(n, sizeof *l->items);
	cJSON_ArrayForEach(item, root) {
		if (l->n == n || item->string == NULL)
			break;
		l->items[l->n].type = xstrdup(item->string);
		if (map_adapter_info_obj(item, &l->items[l->n++], err) == -1) {
			berr_prefix(err, "adapter %zu", l->n - 1);
			cJSON_Delete(root);
			adapter_info_list_free(l);
			return (-1);
		}
	}
	cJSON_Delete(root);
	if (l->n > 1)
		qsort(l->items, l->n, sizeof *l->items, map_adapter_info_cmp);
	*out = l;
	return (0);
}

/* Projects. */

static int
map_project_metadata(const cJSON *o, struct project *p, struct berr *err)
{
	const cJSON	*md;
	char		*pub = NULL;

	if (json_get_obj(o, "metadata", &md, OPT, err) == -1)
		return (-1);
	if (md == NULL)
		return (0);
	if (map_expect_object(md, err) == -1 ||
	    json_get_str(md, "public", &pub, OPT, err) == -1 ||
	    json_get_str(md, "proxy_speed_kb", &p->proxy_speed_kb, OPT,
	    err) == -1 ||
	    json_get_str(md, "auto_scan", &p->auto_scan, OPT, err) == -1 ||
	    json_get_str(md, "severity", &p->severity, OPT, err) == -1) {
		free(pub);
		return (berr_prefix(err, "field \"metadata\""));
	}
	p->public = pub != NULL && strcmp(pub, "true") == 0;
	free(pub);
	return (0);
}

static int
map_project_obj(const cJSON *o, void *arg, struct berr *err)
{
	struct project	*p = arg;

	if (map_expect_object(o, err) == -1 ||
	    json_get_i64(o, "project_id", &p->id, REQ, err) == -1 ||
	    json_get_str(o, "name", &p->name, REQ, err) == -1 ||
	    json_get_i64(o, "owner_id", &p->owner_id, OPT, err) == -1 ||
	    json_get_str(o, "owner_name", &p->owner_name, OPT, err) == -1 ||
	    json_get_i64(o, "registry_id", &p->registry_id, OPT, err) == -1 ||
	    json_get_i64(o, "repo_count", &p->repo_count, OPT, err) == -1 ||
	    json_get_int(o, "current_user_role_id", &p->current_user_role_id,
	    OPT, err) == -1 ||
	    map_project_metadata(o, p, err) == -1 ||
	    json_get_time(o, "creation_time", &p->creation_time, OPT, err) ==
	    -1 ||
	    json_get_time(o, "update_time", &p->update_time, OPT, err) == -1)
		return (-1);
	return (0);
}

MAP_LIST(project, projects)

MAP_ONE(project)

static int
map_summary_quota(const cJSON *o, struct project_summary *ps,
    struct berr *err)
{
	const cJSON	*q, *hard, *used;

	if (json_get_obj(o, "quota", &q, OPT, err) == -1)
		return (-1);
	if (q == NULL)
		return (0);
	if (map_expect_object(q, err) == -1 ||
	    json_get_obj(q, "hard", &hard, OPT, err) == -1 ||
	    json_get_obj(q, "used", &used, OPT, err) == -1)
		return (berr_prefix(err, "field \"quota\""));
	if ((hard != NULL && (map_expect_object(hard, err) == -1 ||
	    json_get_i64(hard, "storage", &ps->quota_storage_hard, OPT,
	    err) == -1)) ||
	    (used != NULL && (map_expect_object(used, err) == -1 ||
	    json_get_i64(used, "storage", &ps->quota_storage_used, OPT,
	    err) == -1)))
		return (berr_prefix(err, "field \"quota\""));
	ps->has_quota = 1;
	return (0);
}

int
harbor_map_project_summary(const char *body, size_t len,
    struct project_summary **out, struct berr *err)
{
	struct project_summary	*ps;
	const cJSON		*reg;
	cJSON			*root;

	*out = NULL;
	if ((root = map_parse_object(body, len, err)) == NULL)
		return (berr_prefix(err, "project summary"));
	ps = xcalloc(1, sizeof *ps);
	if (json_get_i64(root, "repo_count", &ps->repo_count, OPT, err) ==
	    -1 ||
	    json_get_i64(root, "project_admin_count", &ps->project_admin_count,
	    OPT, err) == -1 ||
	    json_get_i64(root, "maintainer_count", &ps->maintainer_count, OPT,
	    err) == -1 ||
	    json_get_i64(root, "developer_count", &ps->developer_count, OPT,
	    err) == -1 ||
	    json_get_i64(root, "guest_count", &ps->guest_count, OPT, err) ==
	    -1 ||
	    json_get_i64(root, "limited_guest_count", &ps->limited_guest_count,
	    OPT, err) == -1 ||
	    map_summary_quota(root, ps, err) == -1 ||
	    json_get_obj(root, "registry", &reg, OPT, err) == -1)
		goto fail;
	if (reg != NULL) {
		ps->registry = xcalloc(1, sizeof *ps->registry);
		if (map_registry_obj(reg, ps->registry, err) == -1) {
			berr_prefix(err, "field \"registry\"");
			goto fail;
		}
	}
	cJSON_Delete(root);
	*out = ps;
	return (0);
fail:
	cJSON_Delete(root);
	project_summary_free(ps);
	return (berr_prefix(err, "project summary"));
}

/* Replication policies. */

/* A filter value: a string, or (labels) an array of strings joined. */
static int
map_filter_value(const cJSON *o, char **out, struct berr *err)
{
	const cJSON	*v, *item;
	char		*s = NULL, *t;

	v = cJSON_GetObjectItemCaseSensitive(o, "value");
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (cJSON_IsString(v)) {
		*out = xstrdup(v->valuestring);
		return (0);
	}
	if (!cJSON_IsArray(v))
		return (berr_set(err, BERR_JSON, 0,
		    "field \"value\": expected string or array, got %s",
		    json_type_name(v)));
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsString(item)) {
			free(s);
			return (berr_set(err, BERR_JSON, 0,
			    "field \"value\": expected string, got %s",
			    json_type_name(item)));
		}
		if (s == NULL)
			s = xstrdup(item->valuestring);
		else {
			xasprintf(&t, "%s,%s", s, item->valuestring);
			free(s);
			s = t;
		}
	}
	*out = s != NULL ? s : xstrdup("");
	return (0);
}

static int
map_policy_filter_obj(const cJSON *o, void *p, struct berr *err)
{
	struct policy_filter	*f = p;

	if (map_expect_object(o, err) == -1 ||
	    json_get_str(o, "type", &f->type, REQ, err) == -1 ||
	    map_filter_value(o, &f->value, err) == -1 ||
	    json_get_str(o, "decoration", &f->decoration, OPT, err) == -1)
		return (-1);
	return (0);
}

static void
map_policy_filter_clear(void *p)
{
	struct policy_filter	*f = p;

	free(f->type);
	free(f->value);
	free(f->decoration);
}

/* src_registry / dest_registry: id and name only; null means this Harbor. */
static int
map_policy_registry(const cJSON *o, const char *key, int64_t *id,
    char **name, struct berr *err)
{
	const cJSON	*r;

	if (json_get_obj(o, key, &r, OPT, err) == -1)
		return (-1);
	if (r == NULL)
		return (0);
	if (map_expect_object(r, err) == -1 ||
	    json_get_i64(r, "id", id, OPT, err) == -1 ||
	    json_get_str(r, "name", name, OPT, err) == -1)
		return (berr_prefix(err, "field \"%s\"", key));
	return (0);
}

static int
map_policy_trigger(const cJSON *o, struct policy *p, struct berr *err)
{
	const cJSON	*t, *ts;

	if (json_get_obj(o, "trigger", &t, OPT, err) == -1)
		return (-1);
	if (t == NULL)
		return (0);
	if (map_expect_object(t, err) == -1 ||
	    json_get_str(t, "type", &p->trigger_type, OPT, err) == -1 ||
	    json_get_obj(t, "trigger_settings", &ts, OPT, err) == -1 ||
	    (ts != NULL && (map_expect_object(ts, err) == -1 ||
	    json_get_str(ts, "cron", &p->trigger_cron, OPT, err) == -1)))
		return (berr_prefix(err, "field \"trigger\""));
	if (p->trigger_cron != NULL && *p->trigger_cron == '\0') {
		free(p->trigger_cron);
		p->trigger_cron = NULL;
	}
	return (0);
}

static int
map_policy_obj(const cJSON *o, void *arg, struct berr *err)
{
	struct policy	*p = arg;
	const cJSON	*filters;
	void		*items;

	policy_init(p);
	if (map_expect_object(o, err) == -1 ||
	    json_get_i64(o, "id", &p->id, REQ, err) == -1 ||
	    json_get_str(o, "name", &p->name, REQ, err) == -1 ||
	    json_get_str(o, "description", &p->description, OPT, err) == -1 ||
	    map_policy_registry(o, "src_registry", &p->src_registry_id,
	    &p->src_registry_name, err) == -1 ||
	    map_policy_registry(o, "dest_registry", &p->dest_registry_id,
	    &p->dest_registry_name, err) == -1 ||
	    json_get_str(o, "dest_namespace", &p->dest_namespace, OPT, err) ==
	    -1 ||
	    json_get_int(o, "dest_namespace_replace_count",
	    &p->dest_namespace_replace_count, OPT, err) == -1 ||
	    map_policy_trigger(o, p, err) == -1 ||
	    json_get_bool(o, "replicate_deletion", &p->replicate_deletion, OPT,
	    err) == -1 ||
	    json_get_bool(o, "override", &p->override, OPT, err) == -1 ||
	    json_get_bool(o, "enabled", &p->enabled, OPT, err) == -1 ||
	    json_get_int(o, "speed", &p->speed, OPT, err) == -1 ||
	    json_get_bool(o, "copy_by_chunk", &p->copy_by_chunk, OPT, err) ==
	    -1 ||
	    json_get_bool(o, "single_active_replication",
	    &p->single_active_replication, OPT, err) == -1 ||
	    json_get_time(o, "creation_time", &p->creation_time, OPT, err) ==
	    -1 ||
	    json_get_time(o, "update_time", &p->update_time, OPT, err) == -1 ||
	    json_get_array(o, "filters", &filters, OPT, err) == -1)
		return (-1);
	if (filters != NULL) {
		if (map_array(filters, sizeof *p->filters,
		    map_policy_filter_obj, map_policy_filter_clear, "filter",
		    &items, &p->nfilters, err) == -1)
			return (-1);
		p->filters = items;
	}
	return (0);
}

MAP_LIST(policy, policies)

MAP_ONE(policy)

/* Executions and tasks. */

static int
map_execution_obj(const cJSON *o, void *arg, struct berr *err)
{
	struct execution	*e = arg;

	if (map_expect_object(o, err) == -1 ||
	    json_get_i64(o, "id", &e->id, REQ, err) == -1 ||
	    json_get_i64(o, "policy_id", &e->policy_id, OPT, err) == -1 ||
	    json_get_str(o, "status", &e->status, OPT, err) == -1 ||
	    json_get_str(o, "status_text", &e->status_text, OPT, err) == -1 ||
	    json_get_str(o, "trigger", &e->trigger, OPT, err) == -1 ||
	    json_get_time(o, "start_time", &e->start_time, OPT, err) == -1 ||
	    json_get_time(o, "end_time", &e->end_time, OPT, err) == -1 ||
	    json_get_i64(o, "total", &e->total, OPT, err) == -1 ||
	    json_get_i64(o, "failed", &e->failed, OPT, err) == -1 ||
	    json_get_i64(o, "succeed", &e->succeed, OPT, err) == -1 ||
	    json_get_i64(o, "in_progress", &e->in_progress, OPT, err) == -1 ||
	    json_get_i64(o, "stopped", &e->stopped, OPT, err) == -1)
		return (-1);
	return (0);
}

MAP_LIST(execution, executions)

MAP_ONE(execution)

static int
map_task_obj(const cJSON *o, void *arg, struct berr *err)
{
	struct task	*t = arg;

	if (map_expect_object(o, err) == -1 ||
	    json_get_i64(o, "id", &t->id, REQ, err) == -1 ||
	    json_get_i64(o, "execution_id", &t->execution_id, OPT, err) ==
	    -1 ||
	    json_get_str(o, "status", &t->status, OPT, err) == -1 ||
	    json_get_str(o, "job_id", &t->job_id, OPT, err) == -1 ||
	    json_get_str(o, "operation", &t->operation, OPT, err) == -1 ||
	    json_get_str(o, "resource_type", &t->resource_type, OPT, err) ==
	    -1 ||
	    json_get_str(o, "src_resource", &t->src_resource, OPT, err) ==
	    -1 ||
	    json_get_str(o, "dst_resource", &t->dst_resource, OPT, err) ==
	    -1 ||
	    json_get_time(o, "start_time", &t->start_time, OPT, err) == -1 ||
	    json_get_time(o, "end_time", &t->end_time, OPT, err) == -1)
		return (-1);
	return (0);
}

MAP_LIST(task, tasks)

/*
 * Request bodies. A secret goes in as a raw JSON string spliced in at
 * print time, so that the only copies of it are buffers we wipe: the raw
 * item's string (wiped before cJSON_Delete) and the printed body (printed
 * into a buffer of exactly the right size, so cJSON never reallocates a
 * copy; the caller wipes it with freezero).
 */

/* The secret as a quoted JSON string; caller freezero()s. */
static char *
map_secret_quoted(const struct secret *s, size_t *lenp)
{
	const char	*hex = "0123456789abcdef";
	char		*q, *d;
	size_t		 i;
	unsigned char	 c;

	d = q = xreallocarray(NULL, s->len + 1, 6);
	*d++ = '"';
	for (i = 0; i < s->len; i++) {
		c = (unsigned char)s->s[i];
		if (c == '"' || c == '\\') {
			*d++ = '\\';
			*d++ = (char)c;
		} else if (c < 0x20) {
			memcpy(d, "\\u00", 4);
			d += 4;
			*d++ = hex[c >> 4];
			*d++ = hex[c & 0xf];
		} else
			*d++ = (char)c;
	}
	*d++ = '"';
	*d = '\0';
	*lenp = (size_t)(d - q);
	return (q);
}

/* Add key: secret (raw) to obj; returns the item so it can be wiped. */
static cJSON *
map_add_secret(cJSON *obj, const char *key, const struct secret *s)
{
	cJSON	*raw;
	char	*q;
	size_t	 len;

	q = map_secret_quoted(s, &len);
	/* Placeholder of the same length; the real bytes go in at print. */
	memset(q + 1, 'x', len - 2);
	raw = cJSON_CreateRaw(q);
	freezero(q, len + 1);
	cJSON_AddItemToObject(obj, key, raw);
	return (raw);
}

/*
 * Print root unformatted. If raw (a map_add_secret() item) is given, the
 * secret replaces its placeholder in place just before the final print
 * and is wiped right after. Caller frees the body with freezero(b, len+1).
 */
static char *
map_print(cJSON *root, cJSON *raw, const struct secret *s, size_t *lenp)
{
	char	*probe, *body, *q;
	size_t	 len, qlen;
	int	 size;

	probe = cJSON_PrintUnformatted(root);
	if (probe == NULL)
		fatalx("cJSON_PrintUnformatted failed");
	len = strlen(probe);
	free(probe);
	if (raw == NULL || s == NULL) {
		body = cJSON_PrintUnformatted(root);
		if (body == NULL)
			fatalx("cJSON_PrintUnformatted failed");
		*lenp = strlen(body);
		return (body);
	}
	q = map_secret_quoted(s, &qlen);
	if (qlen != strlen(raw->valuestring))
		fatalx("map_print: secret placeholder length");
	memcpy(raw->valuestring, q, qlen);
	freezero(q, qlen + 1);
	size = (int)len + 6;
	body = xmalloc((size_t)size);
	if (!cJSON_PrintPreallocated(root, body, size, 0))
		fatalx("cJSON_PrintPreallocated failed");
	explicit_bzero(raw->valuestring, qlen);
	*lenp = strlen(body);
	return (body);
}

static void
map_add_str(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, s);
}

/*
 * Registry bodies. kind: 'c' create (Registry, credential nested),
 * 'u' update (RegistryUpdate, flat), 'p' ping (RegistryPing, flat + id).
 */
char *
harbor_map_registry_body(int kind, int64_t id, const struct registry_req *rq,
    size_t *lenp)
{
	cJSON		*root, *cred = NULL, *raw = NULL;
	const char	*ctype;
	char		*body;

	root = cJSON_CreateObject();
	if (kind == 'p' && id > 0)
		cJSON_AddNumberToObject(root, "id", (double)id);
	if (kind != 'p')
		map_add_str(root, "name", rq->name);
	if (kind != 'p')
		map_add_str(root, "description", rq->description);
	map_add_str(root, "url", rq->url);
	if (kind != 'u')
		map_add_str(root, "type", rq->type);
	if (rq->insecure != -1)
		cJSON_AddBoolToObject(root, "insecure", rq->insecure);
	map_add_str(root, "ca_certificate", rq->ca_certificate);
	ctype = rq->cred_type;
	if (ctype == NULL && (rq->access_key != NULL ||
	    rq->access_secret != NULL))
		ctype = "basic";
	if (kind == 'c' && ctype != NULL) {
		cred = cJSON_AddObjectToObject(root, "credential");
		map_add_str(cred, "type", ctype);
		map_add_str(cred, "access_key", rq->access_key);
		if (rq->access_secret != NULL)
			raw = map_add_secret(cred, "access_secret",
			    rq->access_secret);
	} else if (kind != 'c') {
		map_add_str(root, "credential_type", ctype);
		map_add_str(root, "access_key", rq->access_key);
		if (rq->access_secret != NULL)
			raw = map_add_secret(root, "access_secret",
			    rq->access_secret);
	}
	body = map_print(root, raw, rq->access_secret, lenp);
	cJSON_Delete(root);
	return (body);
}

char *
harbor_map_project_body(const struct project_req *pr, size_t *lenp)
{
	cJSON	*root, *md;
	char	*body;

	root = cJSON_CreateObject();
	map_add_str(root, "project_name", pr->name);
	md = cJSON_AddObjectToObject(root, "metadata");
	cJSON_AddStringToObject(md, "public", pr->public ? "true" : "false");
	map_add_str(md, "proxy_speed_kb", pr->proxy_speed_kb);
	if (pr->registry_id > 0)
		cJSON_AddNumberToObject(root, "registry_id",
		    (double)pr->registry_id);
	if (pr->storage_limit != 0)
		cJSON_AddNumberToObject(root, "storage_limit",
		    (double)pr->storage_limit);
	body = map_print(root, NULL, NULL, lenp);
	cJSON_Delete(root);
	return (body);
}

static void
map_policy_body_registry(cJSON *root, const char *key, int64_t id)
{
	cJSON	*r;

	if (id <= 0)
		return;
	r = cJSON_AddObjectToObject(root, key);
	cJSON_AddNumberToObject(r, "id", (double)id);
}

/* Label filters carry an array: "a,b" -> ["a","b"]. */
static cJSON *
map_split_labels(const char *s)
{
	cJSON		*a;
	const char	*comma;
	char		*one;

	a = cJSON_CreateArray();
	while (*s != '\0') {
		if ((comma = strchr(s, ',')) == NULL)
			comma = s + strlen(s);
		if (comma > s) {
			one = xstrndup(s, (size_t)(comma - s));
			cJSON_AddItemToArray(a, cJSON_CreateString(one));
			free(one);
		}
		s = *comma == ',' ? comma + 1 : comma;
	}
	return (a);
}

static void
map_policy_body_filters(cJSON *root, const struct policy *p)
{
	cJSON	*a, *f;
	size_t	 i;

	a = cJSON_AddArrayToObject(root, "filters");
	for (i = 0; i < p->nfilters; i++) {
		f = cJSON_CreateObject();
		map_add_str(f, "type", p->filters[i].type);
		if (p->filters[i].type != NULL && p->filters[i].value != NULL &&
		    strcmp(p->filters[i].type, "label") == 0)
			cJSON_AddItemToObject(f, "value",
			    map_split_labels(p->filters[i].value));
		else
			map_add_str(f, "value", p->filters[i].value);
		map_add_str(f, "decoration", p->filters[i].decoration);
		cJSON_AddItemToArray(a, f);
	}
}

char *
harbor_map_policy_body(const struct policy *p, size_t *lenp)
{
	cJSON	*root, *t, *ts;
	char	*body;

	root = cJSON_CreateObject();
	map_add_str(root, "name", p->name);
	map_add_str(root, "description", p->description);
	map_policy_body_registry(root, "src_registry", p->src_registry_id);
	map_policy_body_registry(root, "dest_registry", p->dest_registry_id);
	map_add_str(root, "dest_namespace", p->dest_namespace);
	cJSON_AddNumberToObject(root, "dest_namespace_replace_count",
	    p->dest_namespace_replace_count);
	t = cJSON_AddObjectToObject(root, "trigger");
	cJSON_AddStringToObject(t, "type",
	    p->trigger_type != NULL ? p->trigger_type : "manual");
	if (p->trigger_cron != NULL) {
		ts = cJSON_AddObjectToObject(t, "trigger_settings");
		cJSON_AddStringToObject(ts, "cron", p->trigger_cron);
	}
	map_policy_body_filters(root, p);
	cJSON_AddBoolToObject(root, "replicate_deletion",
	    p->replicate_deletion);
	cJSON_AddBoolToObject(root, "override", p->override);
	cJSON_AddBoolToObject(root, "enabled", p->enabled);
	cJSON_AddNumberToObject(root, "speed", p->speed);
	if (p->copy_by_chunk)
		cJSON_AddBoolToObject(root, "copy_by_chunk", 1);
	if (p->single_active_replication)
		cJSON_AddBoolToObject(root, "single_active_replication", 1);
	body = map_print(root, NULL, NULL, lenp);
	cJSON_Delete(root);
	return (body);
}
