/*
 * oci.h: OCI distribution client (cgr.dev or any registry) on http.h.
 *
 * A struct oci talks to one registry (scheme://host[:port]). Requests start
 * anonymously; a 401 with a Bearer challenge makes the client fetch a token
 * from the realm (GET realm?service=..&scope=.., basic credentials), cache
 * it per scope until it expires, and retry once; a Basic challenge makes it
 * retry with basic credentials. Credentials go to a token realm only when
 * the realm is on the registry's host (any port) or on a host listed in
 * oci_opts.realm_allow; otherwise the token is asked for anonymously and
 * oci_creds_withheld() says so. Credentials are never put in URLs.
 *
 * Everything a registry or token service sends is untrusted: headers and
 * bodies are parsed with hard bounds (OCI_* below), and messages built
 * from them are sanitised.
 *
 * Callbacks fire exactly once from the loop, unless the owner is
 * cancelled (req_owner_cancel()); the per-call state of a cancelled call
 * is released by oci_free().
 */
#ifndef BERTH_OCI_H
#define BERTH_OCI_H

#include <stddef.h>
#include <stdint.h>

struct berr;
struct http;
struct http_resp;
struct loop;
struct req_owner;
struct secret;

/* Bounds for untrusted input. */
#define OCI_HDR_MAX	8192	/* WWW-Authenticate / Link header bytes */
#define OCI_CHAL_MAX	8	/* challenges in one header */
#define OCI_PARAM_MAX	16	/* auth-params in one challenge */
#define OCI_VALUE_MAX	2048	/* one parameter value */
#define OCI_LIST_MAX	100000	/* catalog/tags entries collected */
#define OCI_PAGES_MAX	1000	/* Link pages followed */

/* ---- WWW-Authenticate (RFC 7235) ------------------------------------ */

struct oci_auth_param {
	char	*name;		/* lower case */
	char	*value;		/* unquoted, escapes resolved */
};

struct oci_challenge {
	char			*scheme;	/* lower case: "bearer", "basic" */
	char			*token68;	/* NULL unless token68 form */
	struct oci_auth_param	 params[OCI_PARAM_MAX];
	size_t			 nparams;
};

struct oci_challenges {
	struct oci_challenge	c[OCI_CHAL_MAX];
	size_t			n;
};

/*
 * Parse a WWW-Authenticate value: several challenges, quoted strings with
 * commas and escapes, token68. Returns 0 with *out filled (clear it with
 * oci_challenges_clear() also after an error), or -1 with err (BERR_AUTH)
 * for a malformed or oversized header.
 */
int	 oci_www_auth_parse(const char *, struct oci_challenges *,
	    struct berr *);
void	 oci_challenges_clear(struct oci_challenges *);
/* First challenge of a scheme (case-insensitive); NULL if none. */
const struct oci_challenge *oci_challenges_find(const struct oci_challenges *,
	    const char *scheme);
/* Parameter value (name case-insensitive); NULL if absent. Borrowed. */
const char *oci_challenge_param(const struct oci_challenge *, const char *);

/* ---- URLs and Link ------------------------------------------------- */

struct oci_url {
	char	*scheme;	/* "https" or "http" */
	char	*host;		/* lower case; IPv6 without brackets */
	int	 port;		/* explicit port, or 443/80 */
	int	 port_given;
	char	*path;		/* "" or "/..." (query and fragment dropped) */
	char	*origin;	/* scheme://host[:port] as written */
};

/*
 * Parse an absolute http(s) URL. A URL without a scheme is refused with a
 * reason (Harbor would silently use http). BERR_USAGE on error.
 */
int	 oci_url_parse(const char *, struct oci_url *, struct berr *);
void	 oci_url_clear(struct oci_url *);

/*
 * The target of the rel="next" link in a Link header, resolved against
 * origin ("https://host:port"). Only same-origin targets are accepted
 * (a registry must not send our token elsewhere). Returns a new string
 * (caller frees), or NULL when there is no next link or it is refused.
 */
char	*oci_link_next(const char *link, const char *origin);

/* ---- tokens --------------------------------------------------------- */

/*
 * A token service response: {"token": ..} or {"access_token": ..};
 * "expires_in" seconds (default and minimum 60, as the spec says).
 * Returns 0 with *tok (caller frees) or -1 with err (BERR_JSON/BERR_AUTH).
 */
int	 oci_token_parse(const char *, size_t, struct secret **,
	    long *expires_in, struct berr *);
/*
 * The "access" claim of a JWT, for diagnostics only (the signature is not
 * checked): *summary gets "repository:a/b:pull; registry:catalog:*" or ""
 * (caller frees). Returns the number of entries, or -1 if the token is not
 * a readable JWT (then *summary is NULL).
 */
int	 oci_jwt_access(const struct secret *, char **summary);
/*
 * 1 if the JWT's access claim grants action on (type, name); 0 if not;
 * -1 if the token is not a readable JWT.
 */
int	 oci_jwt_grants(const struct secret *, const char *type,
	    const char *name, const char *action);

/* Decode base64 (url = 0) or base64url (url = 1, padding optional).
 * Returns a NUL-terminated buffer (caller frees) and *outlen, or NULL. */
char	*oci_base64_decode(const char *, size_t, int url, size_t *outlen);

/* ---- client ---------------------------------------------------------- */

struct oci;

struct oci_opts {
	const char		*url;		/* https://cgr.dev */
	const char		*user;		/* NULL: anonymous */
	const struct secret	*password;	/* copied */
	const char *const	*realm_allow;	/* extra realm hosts, NULL-ended */
	long			 timeout_ms;	/* per request; 0: the client's */
	int			 certinfo;	/* oci_v2_anon asks for the peer
						   certificate (when http.h
						   has HTTP_HAVE_CERTINFO) */
};

/* http must outlive the oci. NULL with err (BERR_USAGE) on a bad URL. */
struct oci	*oci_new(struct loop *, struct http *, const struct oci_opts *,
		    struct berr *);
void		 oci_free(struct oci *);			/* NULL ok */
const char	*oci_origin(const struct oci *);
/* 1 if credentials were withheld from an off-host token realm. */
int		 oci_creds_withheld(const struct oci *);
/* The last challenge seen ("bearer"/"basic"/NULL) and its realm/service. */
const char	*oci_auth_scheme(const struct oci *);
const char	*oci_auth_realm(const struct oci *);
const char	*oci_auth_service(const struct oci *);

/*
 * A raw call: method (GET/HEAD) on a path ("/v2/...") or same-origin URL,
 * with the auth dance for scope (NULL: none). The callback gets the final
 * response of any status (err NULL), or err for a transport failure or a
 * token failure (BERR_AUTH "token service: ..."). accept may be NULL.
 */
typedef void (*oci_resp_cb)(const struct berr *, struct http_resp *, void *);
void	 oci_request(struct oci *, const char *method, const char *path,
	    const char *scope, const char *accept, struct req_owner *,
	    oci_resp_cb, void *);

/*
 * Anonymous GET /v2/ (no auth dance): the challenge, as a client first
 * sees it. The response is passed as is; the challenge is remembered.
 */
void	 oci_v2_anon(struct oci *, struct req_owner *, oci_resp_cb, void *);

/*
 * Fetch a token for scope (NULL: no scope, as Harbor's ping does) from
 * the realm of the last Bearer challenge (GET /v2/ first if none seen).
 * token is borrowed (cached); NULL with err on failure. status is the
 * token service's HTTP status (0 if none).
 */
typedef void (*oci_token_cb)(const struct berr *, long status,
	    const struct secret *token, void *);
void	 oci_token(struct oci *, const char *scope, struct req_owner *,
	    oci_token_cb, void *);

/*
 * Ping as Harbor does: GET /v2/ with the auth dance (token without
 * scope). err NULL on 2xx; BERR_AUTH for 401/403; status is the final
 * /v2/ status.
 */
typedef void (*oci_ping_cb)(const struct berr *, long status, void *);
void	 oci_ping(struct oci *, struct req_owner *, oci_ping_cb, void *);

/*
 * Catalog (scope registry:catalog:*) or the tags of repo (scope
 * repository:REPO:pull), following Link pages (n per page, 0: 100).
 * On success list (n entries) is borrowed for the callback's duration.
 */
typedef void (*oci_list_cb)(const struct berr *, char **list, size_t n,
	    void *);
void	 oci_catalog(struct oci *, int n, struct req_owner *, oci_list_cb,
	    void *);
void	 oci_tags(struct oci *, const char *repo, struct req_owner *,
	    oci_list_cb, void *);

/* Manifest metadata (and the body for GET). Borrowed by the callback. */
struct oci_manifest {
	long	 status;
	char	*media_type;	/* Content-Type */
	char	*digest;	/* Docker-Content-Digest, sha256:... or NULL */
	char	*body;		/* GET only */
	size_t	 len;
};
typedef void (*oci_manifest_cb)(const struct berr *,
	    const struct oci_manifest *, void *);
/* head: 1 for HEAD. A 404 is an error (BERR_HTTP, status 404). */
void	 oci_manifest(struct oci *, const char *repo, const char *ref,
	    int head, struct req_owner *, oci_manifest_cb, void *);

/* Accept header value for manifests (OCI index/manifest, Docker list/v2). */
extern const char oci_manifest_accept[];

/*
 * Sync wrappers for the CLI: run the loop until done. Lists are owned by
 * the caller (oci_list_free()); the manifest by oci_manifest_free().
 */
int	 oci_ping_sync(struct oci *, struct berr *);
int	 oci_catalog_sync(struct oci *, char ***, size_t *, struct berr *);
int	 oci_tags_sync(struct oci *, const char *, char ***, size_t *,
	    struct berr *);
int	 oci_manifest_sync(struct oci *, const char *, const char *, int,
	    struct oci_manifest **, struct berr *);
void	 oci_list_free(char **, size_t);
void	 oci_manifest_free(struct oci_manifest *);

/* Human text for an OCI error body {"errors":[{"code","message"}]} of a
 * response (sanitised, caller frees); NULL if none. */
char	*oci_error_text(const struct http_resp *);

#endif
