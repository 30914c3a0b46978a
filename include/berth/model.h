/*
 * model.h: typed Harbor objects. core/harbor-map.c fills them from
 * Harbor's JSON; the console and the CLI read them.
 *
 * Every model owns its strings (xstrdup). Strings are raw bytes from the
 * network: NOT sanitised. Whoever shows them sanitises at that point (the
 * console's draw layer, output.c for the CLI). A string the server did
 * not send is NULL (never ""-by-default), an integer it did not send is 0
 * unless noted, a time it did not send (or "0001-01-01T00:00:00Z") is 0.
 *
 * Lists are arrays (index i is row i, in Harbor's order) with a count;
 * every X has X_free(NULL ok) and every X_list has X_list_free(NULL ok),
 * which free the strings too. Secrets (registry access secrets) are never
 * kept in a model: Harbor only returns them masked anyway.
 *
 * model_*_json() build the stable json output of the CLI (-o json): keys
 * are fixed, snake_case, times are RFC 3339 UTC strings or null, missing
 * strings are null. The caller cJSON_Delete()s the result.
 */
#ifndef BERTH_MODEL_H
#define BERTH_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cJSON;

/* GET /systeminfo (GeneralInfo). Anonymous calls get fewer fields. */
struct systeminfo {
	char		*harbor_version;	/* "v2.11.0-abc" */
	char		*auth_mode;		/* "db_auth", "ldap_auth", ... */
	char		*external_url;
	char		*registry_url;
	char		*project_creation_restriction; /* adminonly, everyone */
	char		*oidc_provider_name;
	int		 read_only;		/* Harbor itself is read-only */
	int		 self_registration;
	int		 has_ca_root;
	int		 notification_enable;
	time_t		 current_time;
};

/* GET /health (OverallHealthStatus). */
struct health_component {
	char		*name;		/* "core", "database", "jobservice"... */
	char		*status;	/* "healthy" / "unhealthy" */
	char		*error;		/* NULL unless unhealthy */
};
struct health {
	char			*status;	/* overall */
	struct health_component	*components;
	size_t			 ncomponents;
};

/* GET /users/current (UserResp). */
struct user {
	int64_t		 id;		/* user_id */
	char		*username;
	char		*realname;
	char		*email;
	char		*comment;
	int		 sysadmin;	/* sysadmin_flag */
	int		 admin_role_in_auth;
	time_t		 creation_time;
	time_t		 update_time;
};

/* A registry endpoint (Registry). Harbor's local registry has id 0. */
struct registry {
	int64_t		 id;
	char		*name;
	char		*url;
	char		*type;		/* adapter: "docker-registry", "harbor" */
	char		*description;
	char		*status;	/* "healthy", "unhealthy", "unknown" */
	int		 insecure;	/* 1: Harbor does not verify its cert */
	char		*ca_certificate; /* PEM or NULL */
	char		*cred_type;	/* credential.type: "basic", "oauth", NULL */
	char		*access_key;	/* credential.access_key (user name) */
	int		 has_secret;	/* credential.access_secret was non-empty
					   (Harbor sends "*****"); the value is
					   dropped */
	time_t		 creation_time;
	time_t		 update_time;
};
struct registry_list {
	struct registry	*items;
	size_t		 n;
};

/* GET /registries/{id}/info (RegistryInfo). */
struct registry_filter {
	char		*type;		/* "name", "tag", "label", "resource" */
	char		*style;		/* "input", "radio", "list" */
	char		**values;
	size_t		 nvalues;
};
struct registry_info {
	char			*type;
	char			*description;
	struct registry_filter	*filters;	/* supported_resource_filters */
	size_t			 nfilters;
	char			**triggers;	/* supported_triggers */
	size_t			 ntriggers;
	int			 copy_by_chunk;	/* supported_copy_by_chunk */
};

/* GET /replication/adapters: adapter type names. Also used for any list
 * of plain strings. */
struct strlist {
	char		**v;
	size_t		 n;
};

/* GET /replication/adapterinfos: one entry per adapter type, sorted by type. */
struct adapter_endpoint {
	char		*key;		/* display name, e.g. "cn-hangzhou" */
	char		*value;		/* URL */
};
struct adapter_info {
	char			*type;			/* the map key */
	char			*endpoint_type;		/* "EndpointPatternTypeFix"... */
	struct adapter_endpoint	*endpoints;
	size_t			 nendpoints;
	char			*access_key_type;	/* credential_pattern */
	char			*access_key_data;
	char			*access_secret_type;
	char			*access_secret_data;
};
struct adapter_info_list {
	struct adapter_info	*items;
	size_t			 n;
};

/* A project (Project; metadata flattened). */
struct project {
	int64_t		 id;		/* project_id */
	char		*name;
	int64_t		 owner_id;
	char		*owner_name;
	int		 public;	/* metadata.public == "true" */
	int64_t		 registry_id;	/* > 0: a proxy cache of that registry */
	int64_t		 repo_count;
	int		 current_user_role_id;
	char		*proxy_speed_kb;	/* metadata, raw strings or NULL */
	char		*auto_scan;
	char		*severity;
	time_t		 creation_time;
	time_t		 update_time;
};
struct project_list {
	struct project	*items;
	size_t		 n;
};

/* GET /projects/{name}/summary (ProjectSummary). */
struct project_summary {
	int64_t		 repo_count;
	int64_t		 project_admin_count;
	int64_t		 maintainer_count;
	int64_t		 developer_count;
	int64_t		 guest_count;
	int64_t		 limited_guest_count;
	int64_t		 quota_storage_hard;	/* bytes; -1 unlimited; 0 unknown */
	int64_t		 quota_storage_used;
	int		 has_quota;
	struct registry	*registry;		/* proxy cache upstream or NULL */
};

/* A replication filter (ReplicationFilter). */
struct policy_filter {
	char		*type;		/* "name", "tag", "label", "resource" */
	char		*value;		/* label arrays joined with "," */
	char		*decoration;	/* "matches", "excludes" or NULL */
};

/*
 * A replication policy (ReplicationPolicy). Also the input of
 * harbor_policy_create/update: call policy_init() first so the defaults
 * below hold, then set fields. Exactly one of src_registry_id and
 * dest_registry_id is > 0 (pull: src is the remote; push: dest is).
 */
struct policy {
	int64_t			 id;
	char			*name;
	char			*description;
	int64_t			 src_registry_id;	/* 0: this Harbor */
	char			*src_registry_name;	/* read only */
	int64_t			 dest_registry_id;	/* 0: this Harbor */
	char			*dest_registry_name;	/* read only */
	char			*dest_namespace;
	int			 dest_namespace_replace_count; /* default -1 */
	char			*trigger_type;	/* manual, scheduled, event_based */
	char			*trigger_cron;	/* scheduled: 6-field cron */
	struct policy_filter	*filters;
	size_t			 nfilters;
	int			 replicate_deletion;
	int			 override;	/* default 1 */
	int			 enabled;	/* default 1 */
	int			 speed;		/* KB/s; default -1: unlimited */
	int			 copy_by_chunk;
	int			 single_active_replication;
	time_t			 creation_time;
	time_t			 update_time;
};
struct policy_list {
	struct policy	*items;
	size_t		 n;
};

/* A replication execution (ReplicationExecution). */
struct execution {
	int64_t		 id;
	int64_t		 policy_id;
	char		*status;	/* InProgress, Succeed, Failed, Stopped */
	char		*status_text;
	char		*trigger;	/* manual, scheduled, event_based */
	time_t		 start_time;
	time_t		 end_time;	/* 0 while running */
	int64_t		 total;
	int64_t		 failed;
	int64_t		 succeed;
	int64_t		 in_progress;
	int64_t		 stopped;
};
struct execution_list {
	struct execution *items;
	size_t		 n;
};

/* A replication task (ReplicationTask). */
struct task {
	int64_t		 id;
	int64_t		 execution_id;
	char		*status;	/* Pending, InProgress, Succeed, Failed,
					   Stopped */
	char		*job_id;
	char		*operation;	/* "copy", "deletion" */
	char		*resource_type;	/* "image", "artifact" */
	char		*src_resource;
	char		*dst_resource;
	time_t		 start_time;
	time_t		 end_time;
};
struct task_list {
	struct task	*items;
	size_t		 n;
};

/* Free the strings of one element in place (for arrays) / free a heap one. */
void	systeminfo_free(struct systeminfo *);
void	health_free(struct health *);
void	user_free(struct user *);
void	registry_clear(struct registry *);
void	registry_free(struct registry *);
void	registry_list_free(struct registry_list *);
void	registry_info_free(struct registry_info *);
void	strlist_free(struct strlist *);
void	adapter_info_list_free(struct adapter_info_list *);
void	project_clear(struct project *);
void	project_free(struct project *);
void	project_list_free(struct project_list *);
void	project_summary_free(struct project_summary *);
void	policy_init(struct policy *);	/* zero + defaults (see above) */
void	policy_clear(struct policy *);
void	policy_free(struct policy *);
void	policy_list_free(struct policy_list *);
void	execution_clear(struct execution *);
void	execution_free(struct execution *);
void	execution_list_free(struct execution_list *);
void	task_clear(struct task *);
void	task_free(struct task *);
void	task_list_free(struct task_list *);

/* Deep copies (for screens that keep a row past a list refresh). */
struct registry	*registry_dup(const struct registry *);
struct project	*project_dup(const struct project *);
struct policy	*policy_dup(const struct policy *);
struct execution *execution_dup(const struct execution *);

/* Lookups in lists; borrowed, NULL if absent. */
const struct registry *registry_list_find_id(const struct registry_list *,
		    int64_t);
const struct registry *registry_list_find_name(const struct registry_list *,
		    const char *);
const struct policy *policy_list_find_name(const struct policy_list *,
		    const char *);

/* An execution or task status is final (Succeed, Failed, Stopped...). */
int	model_status_final(const char *);

/* Stable json for -o json (see top). Caller cJSON_Delete()s. */
struct cJSON	*model_systeminfo_json(const struct systeminfo *);
struct cJSON	*model_health_json(const struct health *);
struct cJSON	*model_user_json(const struct user *);
struct cJSON	*model_registry_json(const struct registry *);
struct cJSON	*model_registry_info_json(const struct registry_info *);
struct cJSON	*model_project_json(const struct project *);
struct cJSON	*model_policy_json(const struct policy *);
struct cJSON	*model_execution_json(const struct execution *);
struct cJSON	*model_task_json(const struct task *);

/* "2024-05-01T12:00:00Z" into buf; "" for 0. Returns buf. */
const char	*model_time_str(time_t, char *, size_t);

#endif
