/*
 * fuzz-oci.c: the parsers of what registries, token services, chainctl
 * and docker's config send: WWW-Authenticate, Link, URLs, token bodies,
 * JWT access claims, base64, chainctl output, config.json. The first
 * byte picks the parser. Invariants: bounds hold (challenges, params,
 * value lengths), a Link target stays on the origin, parsed URLs have a
 * scheme and a host, and nothing crashes or leaks (ASan).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/oci.h"
#include "berth/pulltoken.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char fuzz_origin[] = "https://r.example:5443";

static void
fuzz_www_auth(const char *s)
{
	struct oci_challenges	cs;
	struct berr		err;
	size_t			i, j;

	if (oci_www_auth_parse(s, &cs, &err) == 0) {
		if (cs.n == 0 || cs.n > OCI_CHAL_MAX)
			abort();
		for (i = 0; i < cs.n; i++) {
			if (cs.c[i].scheme == NULL || *cs.c[i].scheme == '\0' ||
			    cs.c[i].nparams > OCI_PARAM_MAX)
				abort();
			for (j = 0; j < cs.c[i].nparams; j++) {
				if (strlen(cs.c[i].params[j].value) >
				    OCI_VALUE_MAX)
					abort();
			}
		}
		(void)oci_challenge_param(oci_challenges_find(&cs, "bearer"),
		    "realm");
	}
	oci_challenges_clear(&cs);
}

static void
fuzz_link(const char *s)
{
	char	*n;

	if ((n = oci_link_next(s, fuzz_origin)) != NULL) {
		if (strncmp(n, fuzz_origin, strlen(fuzz_origin)) != 0 ||
		    n[strlen(fuzz_origin)] != '/')
			abort();
		free(n);
	}
}

static void
fuzz_url(const char *s)
{
	struct oci_url	u;
	struct berr	err;

	if (oci_url_parse(s, &u, &err) == 0) {
		if (u.host == NULL || *u.host == '\0' || u.port < 1 ||
		    u.port > 65535 || strncmp(u.origin, u.scheme,
		    strlen(u.scheme)) != 0)
			abort();
	}
	oci_url_clear(&u);
}

static void
fuzz_token(const char *s, size_t n)
{
	struct secret	*tok, *t2;
	struct berr	 err;
	long		 exp;
	char		*sum;

	if (oci_token_parse(s, n, &tok, &exp, &err) == 0) {
		if (exp < 60 || exp > 86400 || tok == NULL)
			abort();
		secret_free(tok);
	}
	t2 = secret_new(s, strnlen(s, n));
	if (oci_jwt_access(t2, &sum) >= 0)
		free(sum);
	(void)oci_jwt_grants(t2, "repository", "org/x", "pull");
	secret_free(t2);
}

static void
fuzz_creds(const char *s, size_t n, int docker)
{
	struct pulltoken	pt;
	struct berr		err;

	if (docker) {
		if (pulltoken_parse_docker_config(s, n, "cgr.dev", &pt,
		    &err) == 0 && (pt.user == NULL || pt.password == NULL))
			abort();
	} else if (pulltoken_parse_chainctl(s, n, &pt, &err) == 0 &&
	    (pt.user == NULL || pt.password == NULL))
		abort();
	pulltoken_clear(&pt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *d;
	size_t	 n, dl;

	if (size < 1)
		return (0);
	n = size - 1;
	s = xmalloc(n + 1);
	memcpy(s, data + 1, n);
	s[n] = '\0';
	switch (data[0] % 7) {
	case 0:
		fuzz_www_auth(s);
		break;
	case 1:
		fuzz_link(s);
		break;
	case 2:
		fuzz_url(s);
		break;
	case 3:
		fuzz_token(s, n);
		break;
	case 4:
		fuzz_creds(s, n, 0);
		break;
	case 5:
		fuzz_creds(s, n, 1);
		break;
	default:
		if ((d = oci_base64_decode(s, n, data[0] & 8, &dl)) != NULL)
			free(d);
		break;
	}
	free(s);
	return (0);
}
