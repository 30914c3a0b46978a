/*
 * pulltoken.h: registry credentials (a Chainguard pull token) from
 *  - chainctl: `chainctl auth configure-docker --parent ORG --pull-token`
 *    run with fork/exec (argv, no shell); its output is captured and
 *    never printed. Text output has the line
 *	docker login "cgr.dev" --username "USER" --password "PASS"
 *    and json output (-o json) an object with the username and password
 *    (accepted keys: username/user/identity/identity_id/id and
 *    password/secret/token/pull_token, at the top or one level down);
 *  - docker's config.json ($DOCKER_CONFIG/config.json or
 *    ~/.docker/config.json): auths[HOST].auth (base64 "user:pass") or
 *    auths[HOST].username/password, HOST matched as "cgr.dev",
 *    "https://cgr.dev", "cgr.dev/v2/"...
 * The password is a struct secret (wiped when freed); buffers that held
 * it are wiped too. Nothing here logs.
 */
#ifndef BERTH_PULLTOKEN_H
#define BERTH_PULLTOKEN_H

#include <stddef.h>

struct berr;
struct secret;

struct pulltoken {
	char		*user;
	struct secret	*password;
	char		*host;		/* registry host named, or NULL */
};

void	pulltoken_clear(struct pulltoken *);

/* Parse chainctl's output (text or json). BERR_OTHER if not found. */
int	pulltoken_parse_chainctl(const char *, size_t, struct pulltoken *,
	    struct berr *);
/* Parse a docker config.json for host ("cgr.dev" or "127.0.0.1:5443"). */
int	pulltoken_parse_docker_config(const char *, size_t, const char *host,
	    struct pulltoken *, struct berr *);

/*
 * Run chainctl (found on PATH, or $BERTH_CHAINCTL) for org and parse
 * its output. stderr is left to the terminal (chainctl may ask to log
 * in). BERR_CONFIG when chainctl is missing or fails.
 */
int	pulltoken_from_chainctl(const char *org, struct pulltoken *,
	    struct berr *);
/* Read the docker config (path NULL: the default) for host. */
int	pulltoken_from_docker_config(const char *path, const char *host,
	    struct pulltoken *, struct berr *);

#endif
