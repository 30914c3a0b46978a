/*
 * probe.h: the connection ladder for a registry URL, from the operator's
 * host: what "test connection" means from here (Harbor's own check is
 * POST /registries/ping). Each rung is timed and explained, and a failure
 * is mapped to a cause in words with a hint:
 *
 *	url	parse; a URL without a scheme is refused (Harbor would use http)
 *	dns	name resolution (the address used)
 *	tcp	connect (refused, timeout, proxy)
 *	tls	verification, certificate expiry and host name
 *	v2	GET /v2/ anonymously: the challenge (Bearer realm, Basic)
 *	token	a token with the credentials and no scope, as Harbor asks,
 *		then GET /v2/ with it
 *	catalog	a catalog token and GET /v2/_catalog (filters like ORG/x* need it)
 *	tags	the tags of one repository (given, or the first under ORG)
 *
 * Without a secret, the credential rungs are skipped and the result says
 * so (anonymous). Everything runs on the loop; nothing blocks.
 */
#ifndef BERTH_PROBE_H
#define BERTH_PROBE_H

#include <stdio.h>

struct cJSON;
struct loop;
struct secret;

enum probe_status {
	PROBE_SKIP = 0,
	PROBE_OK,
	PROBE_WARN,
	PROBE_FAIL
};

enum probe_step {
	PROBE_URL = 0,
	PROBE_DNS,
	PROBE_TCP,
	PROBE_TLS,
	PROBE_V2,
	PROBE_TOKEN,
	PROBE_CATALOG,
	PROBE_TAGS,
	PROBE_NSTEPS
};

struct probe_rung {
	const char		*name;		/* "url", "dns", ... (static) */
	enum probe_status	 status;
	long			 ms;		/* -1: not timed */
	char			*detail;	/* sanitised, never a secret */
	char			*hint;		/* what to do, or NULL */
};

struct probe_result {
	struct probe_rung	 rungs[PROBE_NSTEPS];
	int			 failed;	/* rungs that failed */
	int			 warned;
	int			 anonymous;	/* no secret: rungs skipped */
	char			*cause;		/* first failure in words, or NULL */
	char			*url;		/* as probed (sanitised) */
};

struct probe_opts {
	const char		*url;
	const char		*user;		/* access id; NULL: anonymous */
	const struct secret	*password;	/* NULL: anonymous rungs only */
	const char		*org;		/* for the tags rung (ORG/...) */
	const char		*repo;		/* repository for the tags rung */
	const char		*ca_file;	/* NULL: system trust store */
	int			 insecure;	/* do not verify TLS */
	long			 timeout_ms;	/* per request; 0: 15000 */
	const char *const	*realm_allow;	/* see oci_opts */
};

/* Called once from the loop, unless cancelled; the result is borrowed. */
typedef void (*probe_cb)(const struct probe_result *, void *);

struct probe;
/* Start the ladder; opts is copied (the secret too). */
struct probe	*probe_start(struct loop *, const struct probe_opts *,
		    probe_cb, void *);
/* Stop a running probe (no callback) and free it. NULL ok. */
void		 probe_cancel(struct probe *);
/* Run to the end on the loop (CLI); caller frees the result. */
struct probe_result *probe_run(struct loop *, const struct probe_opts *);
struct probe_result *probe_result_dup(const struct probe_result *);
void		 probe_result_free(struct probe_result *);	/* NULL ok */

const char	*probe_status_name(enum probe_status);	/* "ok", "fail"... */
/* Print the ladder: one line per rung (mark, name, ms, detail), hints. */
void		 probe_print(FILE *, const struct probe_result *);
/*
 * Where the problem is, given Harbor's ping (harbor_ok; harbor_reached 0
 * when berth could not even ask Harbor) and the local ladder (may be
 * NULL). NULL when both sides pass. A static string.
 */
const char	*probe_diagnosis(int harbor_ok, int harbor_reached,
		    const struct probe_result *);
/* The ladder as a json object (caller cJSON_Delete()s). */
struct cJSON	*probe_result_json(const struct probe_result *);

#endif
