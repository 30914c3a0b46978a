/*
 * harbor.h: Harbor REST API v2.0 client (basic auth on every call, no
 * cookies ever), on top of http.h.
 *
 * Every call is asynchronous: it starts one or more requests on the
 * harbor's http client, tagged with the caller's struct req_owner, and
 * calls back exactly once from the loop, unless cancelled. On success err
 * is NULL and the callee owns the result (free it with the model's
 * *_free()); on failure err is set (borrowed) and the result is NULL.
 *
 * Cancel with harbor_cancel(h, owner): it frees harbor's bookkeeping and
 * then calls req_owner_cancel(owner); no callback follows. (A plain
 * req_owner_cancel() is safe too, but harbor's per-call state then stays
 * allocated until harbor_free().)
 *
 * Errors: transport failures come from http.c (BERR_NET, BERR_TLS,
 * BERR_TOOBIG). An HTTP error status becomes one readable message built
 * from Harbor's body {"errors":[{"code","message"}]} (several messages
 * joined with "; ", sanitised), prefixed with the status:
 *	harbor: 409 conflict: registry "x" already exists
 *	harbor: 404 not found
 * 401 is BERR_AUTH ("harbor: 401 unauthorized: ..."), anything else
 * BERR_HTTP with err->status set. A body that does not map is BERR_JSON
 * naming the field ("registry 3: field \"id\": expected number, got
 * string").
 *
 * Lists are fetched whole: page 1 with page_size=100; then, if the
 * response has X-Total-Count, the remaining pages concurrently (a few at
 * a time) and assembled in order; without X-Total-Count, Link rel="next"
 * is followed one page at a time. struct harbor_query may limit it.
 *
 * Names in paths are percent-encoded; repository names are encoded twice
 * ("a/b" -> "a%252Fb"), as Harbor requires.
 *
 * Each async call has a synchronous twin, named *_sync, for the CLI: it
 * runs the loop (http_wait) until the call is done and returns 0 with
 * *out set (caller frees) or -1 with err. Do not call a _sync function
 * from inside a loop callback.
 */
#ifndef BERTH_HARBOR_H
#define BERTH_HARBOR_H

#include <stddef.h>
#include <stdint.h>

#include "berth/model.h"

struct berr;
struct http;
struct loop;
struct req_owner;
struct secret;
struct harbor;

#define HARBOR_PAGE_SIZE	100
#define HARBOR_PAGE_PARALLEL	6	/* list pages in flight at once */

/*
 * A client for one Harbor. url is the Harbor URL as configured
 * ("https://harbor.example.com", trailing "/" and "/api/v2.0" are
 * stripped). user may be NULL (anonymous: no Authorization at all);
 * password is copied (secret_dup). http and loop are borrowed and must
 * outlive the harbor; free the http client (which cancels everything)
 * before or after harbor_free(), but run no loop turn in between.
 */
struct harbor	*harbor_new(struct loop *, struct http *, const char *url,
		    const char *user, const struct secret *password);
void		 harbor_free(struct harbor *);		/* NULL ok */
const char	*harbor_url(const struct harbor *);	/* normalised */
const char	*harbor_api_base(const struct harbor *); /* url + /api/v2.0 */
const char	*harbor_user(const struct harbor *);	/* NULL: anonymous */
struct loop	*harbor_loop(const struct harbor *);
/* Cancel every call of owner (no callbacks), then req_owner_cancel(). */
void		 harbor_cancel(struct harbor *, struct req_owner *);

/* List options; NULL or all-zero means "everything, Harbor's order". */
struct harbor_query {
	const char	*q;		/* Harbor's q: "name=~foo", "name=x" */
	const char	*sort;		/* "-creation_time", "name" */
	int64_t		 policy_id;	/* executions: only this policy */
	const char	*status;	/* executions, tasks: only this status */
	size_t		 limit;		/* 0: all; else at most this many
					   (pages beyond are not fetched) */
};

/* Callback types. err NULL on success; results owned by the callee. */
typedef void (*harbor_done_cb)(const struct berr *, void *);
typedef void (*harbor_id_cb)(const struct berr *, int64_t, void *);
typedef void (*harbor_bool_cb)(const struct berr *, int, void *);
typedef void (*harbor_text_cb)(const struct berr *, char *, size_t, void *);
typedef void (*harbor_systeminfo_cb)(const struct berr *,
		    struct systeminfo *, void *);
typedef void (*harbor_health_cb)(const struct berr *, struct health *,
		    void *);
typedef void (*harbor_user_cb)(const struct berr *, struct user *, void *);
typedef void (*harbor_registry_cb)(const struct berr *, struct registry *,
		    void *);
typedef void (*harbor_registries_cb)(const struct berr *,
		    struct registry_list *, void *);
typedef void (*harbor_registry_info_cb)(const struct berr *,
		    struct registry_info *, void *);
typedef void (*harbor_strlist_cb)(const struct berr *, struct strlist *,
		    void *);
typedef void (*harbor_adapter_infos_cb)(const struct berr *,
		    struct adapter_info_list *, void *);
typedef void (*harbor_project_cb)(const struct berr *, struct project *,
		    void *);
typedef void (*harbor_projects_cb)(const struct berr *,
		    struct project_list *, void *);
typedef void (*harbor_project_summary_cb)(const struct berr *,
		    struct project_summary *, void *);
typedef void (*harbor_policy_cb)(const struct berr *, struct policy *,
		    void *);
typedef void (*harbor_policies_cb)(const struct berr *,
		    struct policy_list *, void *);
typedef void (*harbor_execution_cb)(const struct berr *,
		    struct execution *, void *);
typedef void (*harbor_executions_cb)(const struct berr *,
		    struct execution_list *, void *);
typedef void (*harbor_tasks_cb)(const struct berr *, struct task_list *,
		    void *);
/* A number of objects (0 when err is set). */
typedef void (*harbor_count_cb)(const struct berr *, int64_t, void *);

/*
 * Fields for creating or updating a registry endpoint, or pinging one by
 * values. All borrowed. NULL strings and insecure == -1 are not sent (an
 * update changes only what is given). access_secret is sent only when
 * non-NULL; the request body holding it is wiped after use.
 */
struct registry_req {
	const char		*name;
	const char		*description;
	const char		*url;
	const char		*type;		/* create/ping: "docker-registry" */
	const char		*cred_type;	/* NULL: "basic" when access_key
						   or access_secret is given */
	const char		*access_key;
	const struct secret	*access_secret;
	const char		*ca_certificate;	/* PEM */
	int			 insecure;	/* -1 unset, 0, 1 */
};
/* Zero with insecure = -1. */
void	registry_req_init(struct registry_req *);

/* Fields for creating a project (ProjectReq). */
struct project_req {
	const char	*name;
	int		 public;
	int64_t		 registry_id;	/* > 0: proxy cache of this registry */
	int64_t		 storage_limit;	/* bytes; 0: not sent, -1 unlimited */
	const char	*proxy_speed_kb; /* metadata, NULL: not sent */
};

/* System. */
void	harbor_ping(struct harbor *, struct req_owner *, harbor_done_cb,
	    void *);					/* GET /ping */
void	harbor_systeminfo(struct harbor *, struct req_owner *,
	    harbor_systeminfo_cb, void *);
void	harbor_health(struct harbor *, struct req_owner *, harbor_health_cb,
	    void *);
void	harbor_current_user(struct harbor *, struct req_owner *,
	    harbor_user_cb, void *);			/* /users/current */

/* Registries. */
void	harbor_registries_list(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_registries_cb, void *);
void	harbor_registry_get(struct harbor *, int64_t, struct req_owner *,
	    harbor_registry_cb, void *);
/* By exact name (lists with q=name=NAME); 404 BERR_HTTP if none. */
void	harbor_registry_find(struct harbor *, const char *,
	    struct req_owner *, harbor_registry_cb, void *);
/* POST /registries; the callback gets the new id from Location. */
void	harbor_registry_create(struct harbor *, const struct registry_req *,
	    struct req_owner *, harbor_id_cb, void *);
/* PUT /registries/{id} (RegistryUpdate): only the fields given. */
void	harbor_registry_update(struct harbor *, int64_t,
	    const struct registry_req *, struct req_owner *, harbor_done_cb,
	    void *);
void	harbor_registry_delete(struct harbor *, int64_t, struct req_owner *,
	    harbor_done_cb, void *);
/*
 * POST /registries/ping: Harbor's own check. id > 0 pings the saved
 * endpoint (req may be NULL, or override fields); id 0 pings by the
 * values in req. timeout_ms bounds it (0: 30 s), since Harbor can take
 * minutes. Success means Harbor reached it (200); a failure is an error
 * with Harbor's message.
 */
void	harbor_registry_ping(struct harbor *, int64_t,
	    const struct registry_req *, long timeout_ms, struct req_owner *,
	    harbor_done_cb, void *);
void	harbor_registry_info(struct harbor *, int64_t, struct req_owner *,
	    harbor_registry_info_cb, void *);
void	harbor_adapters(struct harbor *, struct req_owner *,
	    harbor_strlist_cb, void *);		/* /replication/adapters */
void	harbor_adapter_infos(struct harbor *, struct req_owner *,
	    harbor_adapter_infos_cb, void *);	/* /replication/adapterinfos */

/* Projects (by name; X-Is-Resource-Name is sent). */
void	harbor_projects_list(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_projects_cb, void *);
void	harbor_project_get(struct harbor *, const char *, struct req_owner *,
	    harbor_project_cb, void *);
/* HEAD /projects?project_name=: callback gets 1 exists, 0 not (404). */
void	harbor_project_exists(struct harbor *, const char *,
	    struct req_owner *, harbor_bool_cb, void *);
/* POST /projects; id from Location (0 if Harbor sent none). */
void	harbor_project_create(struct harbor *, const struct project_req *,
	    struct req_owner *, harbor_id_cb, void *);
void	harbor_project_delete(struct harbor *, const char *,
	    struct req_owner *, harbor_done_cb, void *);
void	harbor_project_summary(struct harbor *, const char *,
	    struct req_owner *, harbor_project_summary_cb, void *);

/* Replication policies. */
void	harbor_policies_list(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_policies_cb, void *);
void	harbor_policy_get(struct harbor *, int64_t, struct req_owner *,
	    harbor_policy_cb, void *);
/* By exact name (q=name=NAME); 404 BERR_HTTP if none. */
void	harbor_policy_find(struct harbor *, const char *, struct req_owner *,
	    harbor_policy_cb, void *);
/* POST; id from Location. id, times and *_registry_name are not sent. */
void	harbor_policy_create(struct harbor *, const struct policy *,
	    struct req_owner *, harbor_id_cb, void *);
/* PUT /replication/policies/{id} with the whole policy. */
void	harbor_policy_update(struct harbor *, int64_t, const struct policy *,
	    struct req_owner *, harbor_done_cb, void *);
void	harbor_policy_delete(struct harbor *, int64_t, struct req_owner *,
	    harbor_done_cb, void *);

/* Executions and tasks. */
/* q->policy_id filters; Harbor's order unless q->sort ("-start_time"). */
void	harbor_executions_list(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_executions_cb, void *);
void	harbor_execution_get(struct harbor *, int64_t, struct req_owner *,
	    harbor_execution_cb, void *);
/* POST /replication/executions {"policy_id"}; id from Location. */
void	harbor_execution_start(struct harbor *, int64_t policy_id,
	    struct req_owner *, harbor_id_cb, void *);
void	harbor_execution_stop(struct harbor *, int64_t, struct req_owner *,
	    harbor_done_cb, void *);		/* PUT /executions/{id} */
void	harbor_tasks_list(struct harbor *, int64_t execution_id,
	    const struct harbor_query *, struct req_owner *, harbor_tasks_cb,
	    void *);
/* Task log, plain text (raw bytes, NUL-terminated; callee owns). */
void	harbor_task_log(struct harbor *, int64_t execution_id,
	    int64_t task_id, struct req_owner *, harbor_text_cb, void *);

/*
 * Counts without fetching the lists: one request with page=1&page_size=1,
 * whose X-Total-Count is the answer (q's filters apply, its sort and
 * limit are ignored). A server that sends no X-Total-Count gets the whole
 * list fetched and counted instead.
 */
void	harbor_registries_count(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_count_cb, void *);
void	harbor_projects_count(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_count_cb, void *);
void	harbor_policies_count(struct harbor *, const struct harbor_query *,
	    struct req_owner *, harbor_count_cb, void *);

/* Synchronous twins (CLI). 0 and *out (caller frees), or -1 with err. */
int	harbor_ping_sync(struct harbor *, struct berr *);
int	harbor_systeminfo_sync(struct harbor *, struct systeminfo **,
	    struct berr *);
int	harbor_health_sync(struct harbor *, struct health **, struct berr *);
int	harbor_current_user_sync(struct harbor *, struct user **,
	    struct berr *);
int	harbor_registries_list_sync(struct harbor *,
	    const struct harbor_query *, struct registry_list **,
	    struct berr *);
int	harbor_registry_get_sync(struct harbor *, int64_t, struct registry **,
	    struct berr *);
int	harbor_registry_find_sync(struct harbor *, const char *,
	    struct registry **, struct berr *);
int	harbor_registry_create_sync(struct harbor *,
	    const struct registry_req *, int64_t *, struct berr *);
int	harbor_registry_update_sync(struct harbor *, int64_t,
	    const struct registry_req *, struct berr *);
int	harbor_registry_delete_sync(struct harbor *, int64_t, struct berr *);
int	harbor_registry_ping_sync(struct harbor *, int64_t,
	    const struct registry_req *, long, struct berr *);
int	harbor_registry_info_sync(struct harbor *, int64_t,
	    struct registry_info **, struct berr *);
int	harbor_adapters_sync(struct harbor *, struct strlist **,
	    struct berr *);
int	harbor_adapter_infos_sync(struct harbor *,
	    struct adapter_info_list **, struct berr *);
int	harbor_projects_list_sync(struct harbor *,
	    const struct harbor_query *, struct project_list **,
	    struct berr *);
int	harbor_project_get_sync(struct harbor *, const char *,
	    struct project **, struct berr *);
int	harbor_project_exists_sync(struct harbor *, const char *, int *,
	    struct berr *);
int	harbor_project_create_sync(struct harbor *,
	    const struct project_req *, int64_t *, struct berr *);
int	harbor_project_delete_sync(struct harbor *, const char *,
	    struct berr *);
int	harbor_project_summary_sync(struct harbor *, const char *,
	    struct project_summary **, struct berr *);
int	harbor_policies_list_sync(struct harbor *,
	    const struct harbor_query *, struct policy_list **,
	    struct berr *);
int	harbor_policy_get_sync(struct harbor *, int64_t, struct policy **,
	    struct berr *);
int	harbor_policy_find_sync(struct harbor *, const char *,
	    struct policy **, struct berr *);
int	harbor_policy_create_sync(struct harbor *, const struct policy *,
	    int64_t *, struct berr *);
int	harbor_policy_update_sync(struct harbor *, int64_t,
	    const struct policy *, struct berr *);
int	harbor_policy_delete_sync(struct harbor *, int64_t, struct berr *);
int	harbor_executions_list_sync(struct harbor *,
	    const struct harbor_query *, struct execution_list **,
	    struct berr *);
int	harbor_execution_get_sync(struct harbor *, int64_t,
	    struct execution **, struct berr *);
int	harbor_execution_start_sync(struct harbor *, int64_t, int64_t *,
	    struct berr *);
int	harbor_execution_stop_sync(struct harbor *, int64_t, struct berr *);
int	harbor_tasks_list_sync(struct harbor *, int64_t,
	    const struct harbor_query *, struct task_list **, struct berr *);
int	harbor_task_log_sync(struct harbor *, int64_t, int64_t, char **,
	    size_t *, struct berr *);
int	harbor_registries_count_sync(struct harbor *,
	    const struct harbor_query *, int64_t *, struct berr *);
int	harbor_projects_count_sync(struct harbor *,
	    const struct harbor_query *, int64_t *, struct berr *);
int	harbor_policies_count_sync(struct harbor *,
	    const struct harbor_query *, int64_t *, struct berr *);

/*
 * Mapping (harbor-map.c), exported for tests and fuzzers: a response body
 * (need not be NUL-terminated) to a model. 0 with *out (caller frees), or
 * -1 with err (BERR_JSON naming the object and field; BERR_TOOBIG).
 */
int	harbor_map_systeminfo(const char *, size_t, struct systeminfo **,
	    struct berr *);
int	harbor_map_health(const char *, size_t, struct health **,
	    struct berr *);
int	harbor_map_user(const char *, size_t, struct user **, struct berr *);
int	harbor_map_registry(const char *, size_t, struct registry **,
	    struct berr *);
int	harbor_map_registries(const char *, size_t, struct registry_list **,
	    struct berr *);
int	harbor_map_registry_info(const char *, size_t,
	    struct registry_info **, struct berr *);
int	harbor_map_strlist(const char *, size_t, struct strlist **,
	    struct berr *);
int	harbor_map_adapter_infos(const char *, size_t,
	    struct adapter_info_list **, struct berr *);
int	harbor_map_project(const char *, size_t, struct project **,
	    struct berr *);
int	harbor_map_projects(const char *, size_t, struct project_list **,
	    struct berr *);
int	harbor_map_project_summary(const char *, size_t,
	    struct project_summary **, struct berr *);
int	harbor_map_policy(const char *, size_t, struct policy **,
	    struct berr *);
int	harbor_map_policies(const char *, size_t, struct policy_list **,
	    struct berr *);
int	harbor_map_execution(const char *, size_t, struct execution **,
	    struct berr *);
int	harbor_map_executions(const char *, size_t, struct execution_list **,
	    struct berr *);
int	harbor_map_tasks(const char *, size_t, struct task_list **,
	    struct berr *);
/*
 * Request bodies (JSON text, *len set; caller frees with
 * freezero(body, len + 1) since a registry body may hold a secret).
 * Registry kind: 'c' create (Registry), 'u' update (RegistryUpdate),
 * 'p' ping (RegistryPing; id > 0 is sent).
 */
char	*harbor_map_registry_body(int kind, int64_t id,
	    const struct registry_req *, size_t *);
char	*harbor_map_project_body(const struct project_req *, size_t *);
char	*harbor_map_policy_body(const struct policy *, size_t *);

/* Helpers, exported for tests and for other clients. */
/*
 * Turn an HTTP error response into err (see the top); returns -1. body
 * may be NULL or anything (JSON or not).
 */
int	harbor_error(long status, const char *body, size_t len,
	    struct berr *);
/* Repository name for a path: percent-encoded twice. Caller frees. */
char	*harbor_repo_escape(const char *);
/* Last path segment of a Location header as an id; -1 if none/bad. */
int64_t	 harbor_location_id(const char *);
/* The URL of rel="next" in a Link header (caller frees), or NULL. */
char	*harbor_link_next(const char *);

#endif
