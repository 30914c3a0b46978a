/*
 * session.h: one run of berth: the settings, the loop, and (once
 * connected) the resolved context with its http and harbor clients.
 *
 * Lifecycle:
 *	session_new()		settings loaded, loop created, not connected
 *	session_connect()	context resolved, password read, clients made
 *	session_disconnect()	clients freed (e.g. before switching context)
 *	session_free()
 *
 * Resolution (session_connect): settings_resolve() picks the context
 * (opts->context, else current, else the only one) and applies
 * HARBOR_URL / HARBOR_USERNAME / HARBOR_PASSWORD; then the command-line
 * options in struct session_opts override (url, user, ca_file, and
 * insecure/read_only when set); then context_check(). The password comes
 * from, in order: --password-stdin (opts->password_stdin), the context's
 * password_source (env:HARBOR_PASSWORD when that is set), a prompt on
 * the terminal when stdin is a tty; otherwise BERR_CONFIG. It is never
 * read from argv. A context needs a user.
 */
#ifndef BERTH_SESSION_H
#define BERTH_SESSION_H

#include "berth/settings.h"

struct berr;
struct harbor;
struct http;
struct loop;
struct secret;

/* Global command-line options (all borrowed; NULL/0/-1 = not given). */
struct session_opts {
	const char	*config;	/* NULL: settings_default_path() */
	const char	*context;	/* -c NAME */
	const char	*url;		/* --url */
	const char	*user;		/* --user */
	const char	*ca_file;	/* --ca-file */
	int		 insecure;	/* --insecure: 1, else 0 (not given) */
	int		 read_only;	/* --read-only: 1, else 0 (not given) */
	int		 password_stdin; /* --password-stdin */
};

struct session {
	struct session_opts	 opts;		/* copies of the strings */
	struct settings		*settings;	/* loaded at session_new */
	struct loop		*loop;

	/* Set by session_connect(), cleared by session_disconnect(). */
	int			 connected;
	struct context		 ctx;		/* resolved; name may be NULL
						   (HARBOR_URL/--url only) */
	int			 read_only;	/* ctx or --read-only */
	struct secret		*password;
	struct http		*http;
	struct harbor		*harbor;
	char			*label;		/* session_label() */
};

/*
 * Load the settings (opts->config or the default path) and create the
 * loop. Returns 0 and *out, or -1 with err (BERR_CONFIG: unreadable or
 * group/other-readable config...). opts is copied.
 */
int	session_new(const struct session_opts *, struct session **,
	    struct berr *);
void	session_free(struct session *);		/* NULL ok; disconnects */
/*
 * Merge more global options (given after a command name) into the
 * session's: non-NULL strings and non-zero flags replace. Takes effect
 * at the next session_connect().
 */
void	session_merge_opts(struct session *, const struct session_opts *);

/*
 * Resolve the context and create the clients (see the top). A second
 * call while connected does nothing. On error the session stays
 * disconnected and err says why (BERR_CONFIG, BERR_USAGE...); it does
 * not talk to Harbor yet.
 */
int	session_connect(struct session *, struct berr *);
void	session_disconnect(struct session *);
/*
 * Switch to context name (as -c would): disconnect, make it the current
 * one for this session (not saved), connect. opts->url/user/... given on
 * the command line no longer apply after a switch.
 */
int	session_use(struct session *, const char *name, struct berr *);

/* A short label: "NAME (URL)", or the URL when unnamed. Borrowed. */
const char *session_label(const struct session *);

#endif
