/*
 * oci-parse.c: parsers for what OCI registries and token services send:
 * WWW-Authenticate challenges, Link headers, token responses, JWT access
 * claims, URLs and base64. All input is untrusted and bounded.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "berth/oci.h"
#include "berth/berr.h"
#include "berth/json.h"
#include "berth/sanitize.h"
#include "berth/secret.h"
#include "berth/xmalloc.h"

#define OCI_NAME_MAX	64	/* scheme and parameter names */

/* RFC 7230 tchar. */
static int
oci_is_tchar(int c)
{
	if (isascii(c) && isalnum(c))
		return (1);
	return (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 7235 token68 characters (without the trailing '='). */
static int
oci_is_t68char(int c)
{
	if (isascii(c) && isalnum(c))
		return (1);
	return (c != '\0' && strchr("-._~+/", c) != NULL);
}

static size_t
oci_skip_ows(const char *s, size_t pos, size_t len)
{
	while (pos < len && (s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	return (pos);
}

static size_t
oci_token_end(const char *s, size_t pos, size_t len)
{
	while (pos < len && oci_is_tchar((u_char)s[pos]))
		pos++;
	return (pos);
}

static char *
oci_lower_dup(const char *s, size_t n)
{
	char	*d;
	size_t	 i;

	d = xstrndup(s, n);
	for (i = 0; i < n; i++)
		d[i] = tolower((u_char)d[i]);
	return (d);
}

/*
 * If a token68 starts at pos and runs to the end of the element (OWS then
 * ',' or end), return its end; else 0.
 */
static size_t
oci_token68_end(const char *s, size_t pos, size_t len)
{
	size_t	e, after;

	e = pos;
	while (e < len && oci_is_t68char((u_char)s[e]))
		e++;
	if (e == pos)
		return (0);
	while (e < len && s[e] == '=')
		e++;
	after = oci_skip_ows(s, e, len);
	if (after < len && s[after] != ',')
		return (0);
	return (e);
}

/* Quoted string at s[pos] == '"'; *out gets the unescaped value. */
static int
oci_quoted(const char *s, size_t *posp, size_t len, char **out,
    struct berr *err)
{
	char	*v;
	size_t	 pos = *posp + 1, n = 0;
	u_char	 c;

	v = xmalloc(OCI_VALUE_MAX + 1);
	for (;;) {
		if (pos >= len) {
			free(v);
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: unterminated quoted string"));
		}
		c = s[pos++];
		if (c == '"')
			break;
		if (c == '\\') {
			if (pos >= len) {
				free(v);
				return (berr_set(err, BERR_AUTH, 0,
				    "www-authenticate: bad escape"));
			}
			c = s[pos++];
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			free(v);
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: control character"));
		}
		if (n >= OCI_VALUE_MAX) {
			free(v);
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: value too long"));
		}
		v[n++] = c;
	}
	v[n] = '\0';
	*out = v;
	*posp = pos;
	return (0);
}

/* One auth-param "name = value" at pos. */
static int
oci_param(const char *s, size_t *posp, size_t len, struct oci_challenge *ch,
    struct berr *err)
{
	size_t	 pos = *posp, ne, i;
	char	*name, *value = NULL;

	ne = oci_token_end(s, pos, len);
	if (ne == pos || ne - pos > OCI_NAME_MAX)
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: bad parameter name"));
	name = oci_lower_dup(s + pos, ne - pos);
	pos = oci_skip_ows(s, ne, len);
	if (pos >= len || s[pos] != '=') {
		free(name);
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: expected '=' after parameter"));
	}
	pos = oci_skip_ows(s, pos + 1, len);
	if (pos < len && s[pos] == '"') {
		if (oci_quoted(s, &pos, len, &value, err) == -1) {
			free(name);
			return (-1);
		}
	} else {
		ne = oci_token_end(s, pos, len);
		if (ne == pos || ne - pos > OCI_VALUE_MAX) {
			free(name);
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: bad parameter value"));
		}
		value = xstrndup(s + pos, ne - pos);
		pos = ne;
	}
	for (i = 0; i < ch->nparams; i++) {
		if (strcmp(ch->params[i].name, name) == 0)
			break;
	}
	if (i < ch->nparams || ch->nparams >= OCI_PARAM_MAX) {
		free(name);
		free(value);
		return (berr_set(err, BERR_AUTH, 0, "www-authenticate: %s",
		    i < ch->nparams ? "duplicate parameter" :
		    "too many parameters"));
	}
	ch->params[ch->nparams].name = name;
	ch->params[ch->nparams].value = value;
	ch->nparams++;
	*posp = pos;
	return (0);
}

/*
 * After a comma inside a challenge: 1 if what follows is another
 * auth-param of the same challenge (token BWS '='), 0 if it starts a new
 * challenge or is the end.
 */
static int
oci_next_is_param(const char *s, size_t pos, size_t len)
{
	size_t	e;

	while (pos < len && (s[pos] == ',' || s[pos] == ' ' || s[pos] == '\t'))
		pos++;
	e = oci_token_end(s, pos, len);
	if (e == pos)
		return (0);
	e = oci_skip_ows(s, e, len);
	return (e < len && s[e] == '=');
}

static int
oci_challenge(const char *s, size_t *posp, size_t len,
    struct oci_challenge *ch, struct berr *err)
{
	size_t	pos = *posp, e;
	int	first = 1;

	e = oci_token_end(s, pos, len);
	if (e == pos || e - pos > OCI_NAME_MAX)
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: expected an auth scheme"));
	ch->scheme = oci_lower_dup(s + pos, e - pos);
	pos = e;
	if (pos < len && s[pos] != ' ' && s[pos] != '\t' && s[pos] != ',')
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: bad character after scheme"));
	for (;;) {
		pos = oci_skip_ows(s, pos, len);
		if (pos >= len)
			break;
		if (s[pos] == ',') {
			if (!oci_next_is_param(s, pos, len))
				break;
			while (s[pos] == ',' || s[pos] == ' ' ||
			    s[pos] == '\t')
				pos++;
		} else if (!first)
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: expected ','"));
		if (first && (e = oci_token68_end(s, pos, len)) != 0) {
			if (e - pos > OCI_VALUE_MAX)
				return (berr_set(err, BERR_AUTH, 0,
				    "www-authenticate: token68 too long"));
			ch->token68 = xstrndup(s + pos, e - pos);
			pos = e;
			first = 0;
			continue;
		}
		if (ch->token68 != NULL)
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: parameter after token68"));
		if (oci_param(s, &pos, len, ch, err) == -1)
			return (-1);
		first = 0;
	}
	*posp = pos;
	return (0);
}

int
oci_www_auth_parse(const char *s, struct oci_challenges *out,
    struct berr *err)
{
	size_t	len, pos = 0, i;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: missing"));
	len = strnlen(s, OCI_HDR_MAX + 1);
	if (len > OCI_HDR_MAX)
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: header too long"));
	for (i = 0; i < len; i++) {
		if (((u_char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: control character"));
	}
	for (;;) {
		while (pos < len && (s[pos] == ',' || s[pos] == ' ' ||
		    s[pos] == '\t'))
			pos++;
		if (pos >= len)
			break;
		if (out->n >= OCI_CHAL_MAX)
			return (berr_set(err, BERR_AUTH, 0,
			    "www-authenticate: too many challenges"));
		if (oci_challenge(s, &pos, len, &out->c[out->n++], err) == -1)
			return (-1);
	}
	if (out->n == 0)
		return (berr_set(err, BERR_AUTH, 0,
		    "www-authenticate: no challenge"));
	return (0);
}

void
oci_challenges_clear(struct oci_challenges *cs)
{
	size_t	i, j;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->n && i < OCI_CHAL_MAX; i++) {
		free(cs->c[i].scheme);
		free(cs->c[i].token68);
		for (j = 0; j < cs->c[i].nparams; j++) {
			free(cs->c[i].params[j].name);
			free(cs->c[i].params[j].value);
		}
	}
	memset(cs, 0, sizeof *cs);
}

const struct oci_challenge *
oci_challenges_find(const struct oci_challenges *cs, const char *scheme)
{
	size_t	i;

	for (i = 0; i < cs->n; i++) {
		if (cs->c[i].scheme != NULL &&
		    strcasecmp(cs->c[i].scheme, scheme) == 0)
			return (&cs->c[i]);
	}
	return (NULL);
}

const char *
oci_challenge_param(const struct oci_challenge *ch, const char *name)
{
	size_t	i;

	if (ch == NULL)
		return (NULL);
	for (i = 0; i < ch->nparams; i++) {
		if (strcasecmp(ch->params[i].name, name) == 0)
			return (ch->params[i].value);
	}
	return (NULL);
}

/* ---- URLs ------------------------------------------------------------ */

static int
oci_host_ok(const char *h, size_t n, int v6)
{
	size_t	i;

	if (n == 0 || n > 253)
		return (0);
	for (i = 0; i < n; i++) {
		if (v6) {
			if (!isxdigit((u_char)h[i]) && h[i] != ':' &&
			    h[i] != '.')
				return (0);
		} else if (!(isascii((u_char)h[i]) && isalnum((u_char)h[i])) &&
		    h[i] != '-' && h[i] != '.' && h[i] != '_')
			return (0);
	}
	return (1);
}

/* Host and optional port of authority a[0..n). */
static int
oci_url_authority(const char *a, size_t n, struct oci_url *u,
    struct berr *err)
{
	const char	*colon = NULL, *errstr;
	size_t		 hl;
	char		 port[8];
	long long	 p;
	int		 v6 = 0;

	if (memchr(a, '@', n) != NULL)
		return (berr_set(err, BERR_USAGE, 0,
		    "url: credentials in a url are refused "
		    "(use the access id and secret)"));
	if (n > 0 && a[0] == '[') {
		colon = memchr(a, ']', n);
		if (colon == NULL)
			return (berr_set(err, BERR_USAGE, 0,
			    "url: unterminated [ipv6] host"));
		v6 = 1;
		hl = colon - a - 1;
		u->host = xstrndup(a + 1, hl);
		colon = (size_t)(colon + 1 - a) < n ? colon + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return (berr_set(err, BERR_USAGE, 0,
			    "url: bad character after ipv6 host"));
	} else {
		colon = memchr(a, ':', n);
		hl = colon != NULL ? (size_t)(colon - a) : n;
		u->host = oci_lower_dup(a, hl);
	}
	if (!oci_host_ok(u->host, strlen(u->host), v6))
		return (berr_set(err, BERR_USAGE, 0, "url: bad host name"));
	u->port = strcmp(u->scheme, "https") == 0 ? 443 : 80;
	if (colon != NULL) {
		hl = n - (colon + 1 - a);
		if (hl == 0 || hl >= sizeof port)
			return (berr_set(err, BERR_USAGE, 0, "url: bad port"));
		memcpy(port, colon + 1, hl);
		port[hl] = '\0';
		p = strtonum(port, 1, 65535, &errstr);
		if (errstr != NULL)
			return (berr_set(err, BERR_USAGE, 0,
			    "url: port is %s", errstr));
		u->port = (int)p;
		u->port_given = 1;
	}
	return (0);
}

int
oci_url_parse(const char *s, struct oci_url *u, struct berr *err)
{
	const char	*p, *a, *end;
	size_t		 len, i;

	memset(u, 0, sizeof *u);
	if (s == NULL || *s == '\0')
		return (berr_set(err, BERR_USAGE, 0, "url: empty"));
	len = strnlen(s, 2049);
	if (len > 2048)
		return (berr_set(err, BERR_USAGE, 0, "url: too long"));
	for (i = 0; i < len; i++) {
		if ((u_char)s[i] <= 0x20 || (u_char)s[i] >= 0x7f)
			return (berr_set(err, BERR_USAGE, 0,
			    "url: spaces, control or non-ascii characters"));
	}
	if ((p = strstr(s, "://")) == NULL)
		return (berr_set(err, BERR_USAGE, 0,
		    "url: no scheme: write https://%.200s (Harbor would "
		    "silently use http:// for a url without a scheme)", s));
	u->scheme = oci_lower_dup(s, p - s);
	if (strcmp(u->scheme, "https") != 0 && strcmp(u->scheme, "http") != 0)
		return (berr_set(err, BERR_USAGE, 0,
		    "url: scheme must be https or http"));
	a = p + 3;
	end = a + strcspn(a, "/?#");
	if (oci_url_authority(a, end - a, u, err) == -1)
		return (-1);
	u->path = xstrndup(end, strcspn(end, "?#"));
	if (strcmp(u->path, "/") == 0)
		u->path[0] = '\0';
	if (u->port_given)
		xasprintf(&u->origin, "%s://%s%s%s:%d", u->scheme,
		    *a == '[' ? "[" : "", u->host, *a == '[' ? "]" : "",
		    u->port);
	else
		xasprintf(&u->origin, "%s://%s%s%s", u->scheme,
		    *a == '[' ? "[" : "", u->host, *a == '[' ? "]" : "");
	return (0);
}

void
oci_url_clear(struct oci_url *u)
{
	if (u == NULL)
		return;
	free(u->scheme);
	free(u->host);
	free(u->path);
	free(u->origin);
	memset(u, 0, sizeof *u);
}

/* ---- Link -------------------------------------------------------------- */

/* Resolve a link target against origin; same origin only. */
static char *
oci_link_resolve(const char *t, size_t n, const char *origin)
{
	char	*r, *tgt;
	size_t	 ol = strlen(origin), i;

	for (i = 0; i < n; i++) {
		if ((u_char)t[i] <= 0x20 || (u_char)t[i] >= 0x7f)
			return (NULL);
	}
	tgt = xstrndup(t, n);
	if (tgt[0] == '/' && tgt[1] != '/') {
		xasprintf(&r, "%s%s", origin, tgt);
		free(tgt);
		return (r);
	}
	if (strncasecmp(tgt, origin, ol) == 0 && tgt[ol] == '/')
		return (tgt);
	free(tgt);
	return (NULL);
}

/* 1 if the rel value (space separated) contains "next". */
static int
oci_rel_next(const char *v, size_t n)
{
	size_t	i = 0, j;

	while (i < n) {
		while (i < n && v[i] == ' ')
			i++;
		j = i;
		while (j < n && v[j] != ' ')
			j++;
		if (j - i == 4 && strncasecmp(v + i, "next", 4) == 0)
			return (1);
		i = j;
	}
	return (0);
}

char *
oci_link_next(const char *s, const char *origin)
{
	size_t		 len, pos = 0, ts, te, ns, ne, vs, ve;
	int		 next;

	if (s == NULL || origin == NULL)
		return (NULL);
	len = strnlen(s, OCI_HDR_MAX + 1);
	if (len > OCI_HDR_MAX)
		return (NULL);
	for (;;) {
		while (pos < len && (s[pos] == ',' || s[pos] == ' ' ||
		    s[pos] == '\t'))
			pos++;
		if (pos >= len || s[pos] != '<')
			return (NULL);
		ts = ++pos;
		while (pos < len && s[pos] != '>')
			pos++;
		if (pos >= len)
			return (NULL);
		te = pos++;
		next = 0;
		for (;;) {
			pos = oci_skip_ows(s, pos, len);
			if (pos >= len || s[pos] != ';')
				break;
			ns = oci_skip_ows(s, pos + 1, len);
			ne = oci_token_end(s, ns, len);
			if (ne == ns)
				return (NULL);
			vs = oci_skip_ows(s, ne, len);
			if (vs >= len || s[vs] != '=')
				return (NULL);
			vs = oci_skip_ows(s, vs + 1, len);
			if (vs < len && s[vs] == '"') {
				ve = ++vs;
				while (ve < len && s[ve] != '"')
					ve++;
				if (ve >= len)
					return (NULL);
				pos = ve + 1;
			} else {
				ve = oci_token_end(s, vs, len);
				pos = ve;
			}
			if (ne - ns == 3 && strncasecmp(s + ns, "rel", 3) == 0 &&
			    oci_rel_next(s + vs, ve - vs))
				next = 1;
		}
		if (next)
			return (oci_link_resolve(s + ts, te - ts, origin));
		pos = oci_skip_ows(s, pos, len);
		if (pos < len && s[pos] != ',')
			return (NULL);
	}
}

/* ---- tokens ------------------------------------------------------------ */

int
oci_token_parse(const char *body, size_t len, struct secret **tok,
    long *expires_in, struct berr *err)
{
	cJSON	*root;
	char	*t = NULL;
	int64_t	 exp = 0;
	int	 rc = -1;

	*tok = NULL;
	*expires_in = 60;
	if (body == NULL || len == 0)
		return (berr_set(err, BERR_JSON, 0, "token: empty response"));
	if ((root = json_parse(body, len, err)) == NULL)
		return (berr_prefix(err, "token"));
	if (json_get_str(root, "token", &t, 0, err) == -1 ||
	    (t == NULL &&
	    json_get_str(root, "access_token", &t, 0, err) == -1) ||
	    json_get_i64(root, "expires_in", &exp, 0, err) == -1) {
		berr_prefix(err, "token");
		goto out;
	}
	if (t == NULL || *t == '\0') {
		berr_set(err, BERR_JSON, 0,
		    "token: response has no token or access_token");
		goto out;
	}
	if (exp > 60)
		*expires_in = exp > 86400 ? 86400 : (long)exp;
	*tok = secret_new(t, strlen(t));
	rc = 0;
out:
	if (t != NULL)
		freezero(t, strlen(t));
	json_wipe(root);
	cJSON_Delete(root);
	return (rc);
}

static const int8_t oci_b64tab[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
};

char *
oci_base64_decode(const char *s, size_t n, int url, size_t *outlen)
{
	char		*d;
	size_t		 i, o = 0, pad = 0;
	uint32_t	 acc = 0;
	int		 bits = 0, v;
	u_char		 c;

	while (n > 0 && s[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if (!url && (n + pad) % 4 != 0)
		return (NULL);
	d = xmalloc(n / 4 * 3 + 4);
	for (i = 0; i < n; i++) {
		c = s[i];
		if (url && c == '-')
			v = 62;
		else if (url && c == '_')
			v = 63;
		else if (!url && c == '+')
			v = 62;
		else if (!url && c == '/')
			v = 63;
		else if ((v = oci_b64tab[c]) == 0) {
			free(d);
			return (NULL);
		} else
			v--;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			d[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	if (bits >= 6) {	/* a lone trailing character */
		free(d);
		return (NULL);
	}
	d[o] = '\0';
	*outlen = o;
	return (d);
}

/* The JWT payload as JSON; NULL if not a JWT. */
static cJSON *
oci_jwt_payload(const struct secret *tok)
{
	const char	*s, *p1, *p2;
	char		*dec;
	size_t		 dlen;
	cJSON		*root;
	struct berr	 err;

	if (tok == NULL || (s = secret_str(tok)) == NULL)
		return (NULL);
	if ((p1 = strchr(s, '.')) == NULL ||
	    (p2 = strchr(p1 + 1, '.')) == NULL)
		return (NULL);
	if (p2 - p1 - 1 > 65536)
		return (NULL);
	dec = oci_base64_decode(p1 + 1, p2 - p1 - 1, 1, &dlen);
	if (dec == NULL)
		return (NULL);
	root = dlen > 0 ? json_parse(dec, dlen, &err) : NULL;
	free(dec);
	if (root != NULL && !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return (NULL);
	}
	return (root);
}

int
oci_jwt_access(const struct secret *tok, char **summary)
{
	cJSON		*root, *acc, *e, *a;
	cJSON		*t, *nm, *acts;
	char		*s, *n;
	int		 count = 0;

	*summary = NULL;
	if ((root = oci_jwt_payload(tok)) == NULL)
		return (-1);
	s = xstrdup("");
	acc = cJSON_GetObjectItemCaseSensitive(root, "access");
	if (!cJSON_IsArray(acc))
		acc = NULL;
	cJSON_ArrayForEach(e, acc) {
		t = cJSON_GetObjectItemCaseSensitive(e, "type");
		nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		acts = cJSON_GetObjectItemCaseSensitive(e, "actions");
		if (!cJSON_IsString(t) || !cJSON_IsString(nm) || count >= 64)
			continue;
		xasprintf(&n, "%s%s%s:%s:", s, count ? "; " : "",
		    t->valuestring, nm->valuestring);
		free(s);
		s = n;
		if (!cJSON_IsArray(acts))
			continue;
		cJSON_ArrayForEach(a, acts) {
			if (!cJSON_IsString(a))
				continue;
			xasprintf(&n, "%s%s%s", s,
			    s[strlen(s) - 1] == ':' ? "" : ",", a->valuestring);
			free(s);
			s = n;
		}
		count++;
	}
	cJSON_Delete(root);
	*summary = san_str(s);
	free(s);
	return (count);
}

/* 1 if a name pattern from an access claim covers name (org/ then a star). */
static int
oci_name_match(const char *pat, const char *name)
{
	size_t	pl = strlen(pat);

	if (strcmp(pat, name) == 0 || strcmp(pat, "*") == 0)
		return (1);
	if (pl >= 2 && pat[pl - 1] == '*' && pat[pl - 2] == '/')
		return (strncmp(pat, name, pl - 1) == 0);
	return (0);
}

int
oci_jwt_grants(const struct secret *tok, const char *type, const char *name,
    const char *action)
{
	cJSON		*root, *acc, *e, *a;
	cJSON		*t, *nm, *acts;
	int		 ok = 0;

	if ((root = oci_jwt_payload(tok)) == NULL)
		return (-1);
	acc = cJSON_GetObjectItemCaseSensitive(root, "access");
	if (!cJSON_IsArray(acc))
		acc = NULL;
	cJSON_ArrayForEach(e, acc) {
		t = cJSON_GetObjectItemCaseSensitive(e, "type");
		nm = cJSON_GetObjectItemCaseSensitive(e, "name");
		acts = cJSON_GetObjectItemCaseSensitive(e, "actions");
		if (!cJSON_IsString(t) || !cJSON_IsString(nm) ||
		    strcmp(t->valuestring, type) != 0 ||
		    !oci_name_match(nm->valuestring, name))
			continue;
		if (!cJSON_IsArray(acts))
			continue;
		cJSON_ArrayForEach(a, acts) {
			if (cJSON_IsString(a) &&
			    (strcmp(a->valuestring, action) == 0 ||
			    strcmp(a->valuestring, "*") == 0))
				ok = 1;
		}
	}
	cJSON_Delete(root);
	return (ok);
}
