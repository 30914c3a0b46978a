/*
 * berr.h: expected failures (network, TLS, HTTP, auth, JSON, config) are
 * returned as -1 with a struct berr filled in; bugs and OOM are fatal.
 */
#ifndef BERTH_BERR_H
#define BERTH_BERR_H

enum berr_kind {
	BERR_NONE = 0,
	BERR_USAGE,	/* bad arguments: exit 2 */
	BERR_CONFIG,	/* config file, permissions, missing context */
	BERR_NET,	/* DNS, connect, reset, timeout: exit 3 */
	BERR_TLS,	/* certificate, handshake: exit 3 */
	BERR_AUTH,	/* 401 / bad credentials: exit 3 */
	BERR_HTTP,	/* any other HTTP error status */
	BERR_JSON,	/* unparsable or mistyped body */
	BERR_TOOBIG,	/* response over the size cap */
	BERR_CANCELLED,	/* the owner cancelled the request */
	BERR_READONLY,	/* mutating command refused in read-only mode */
	BERR_OTHER
};

#define BERR_MSGLEN 512

struct berr {
	enum berr_kind	kind;
	long		status;		/* HTTP status, 0 if none */
	char		msg[BERR_MSGLEN]; /* lower case, no final period */
};

/* Fill err (NULL ok) with a printf-style message; returns -1. */
int	berr_set(struct berr *, enum berr_kind, long, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* Prefix an existing message: "context: old message". Returns -1. */
int	berr_prefix(struct berr *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	berr_clear(struct berr *);
/* Process exit status for an error: 2 usage, 3 connection/TLS/auth, else 1. */
int	berr_exit_code(const struct berr *);
const char *berr_kind_name(enum berr_kind);

#endif
