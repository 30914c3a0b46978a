/* sanitize.c: untrusted bytes made safe for a terminal (STYLE.md 7). */
#include "config.h"

#include <sys/types.h>

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <vis.h>
#include <wchar.h>
#include <wctype.h>

#include "berth/sanitize.h"
#include "berth/xmalloc.h"

#define SAN_ESCLEN	4	/* "\ooo" per bad byte */

/*
 * Invisible or direction-changing characters: they would let a remote
 * name reorder or hide what the operator reads.
 */
static int
san_is_format_char(wchar_t wc)
{
	return ((wc >= 0x200b && wc <= 0x200f) ||	/* ZW space..RLM */
	    (wc >= 0x2028 && wc <= 0x202e) ||		/* LS, PS, LRE..RLO */
	    (wc >= 0x2060 && wc <= 0x2069) ||		/* WJ..PDI */
	    wc == 0x061c || wc == 0xfeff);		/* ALM, BOM */
}

/* 1 if the current locale is UTF-8; otherwise only ASCII passes. */
static int
san_utf8(void)
{
	const char	*cs;

	if (MB_CUR_MAX <= 1)
		return (0);
	cs = nl_langinfo(CODESET);
	return (cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
	    strcasecmp(cs, "utf8") == 0));
}

static char *
san_byte(char *d, u_char c)
{
	if ((d = vis(d, c, VIS_OCTAL | VIS_TAB | VIS_NL | VIS_NOLOCALE, 0)) ==
	    NULL)
		fatalx("vis failed");
	return (d);
}

/*
 * Length of the next unit of src (one character, or one bad byte) and
 * whether it must be escaped.
 */
static size_t
san_next(const char *src, size_t len, mbstate_t *ps, int utf8, int *bad)
{
	wchar_t	wc;
	size_t	n;
	u_char	c = (u_char)*src;

	if (!utf8 || c < 0x80) {
		*bad = c < 0x20 || c >= 0x7f;
		return (1);
	}
	n = mbrtowc(&wc, src, len, ps);
	if (n == 0 || n > len) {		/* NUL, invalid, cut */
		memset(ps, 0, sizeof *ps);
		*bad = 1;
		return (1);
	}
	*bad = !iswprint(wc) || san_is_format_char(wc);
	return (n);
}

/* Append one unit of n bytes to d (escaped if bad); returns the new end. */
static char *
san_put(char *d, const char *src, size_t n, int bad)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (bad)
			d = san_byte(d, (u_char)src[i]);
		else
			*d++ = src[i];
	}
	return (d);
}

/*
 * Display-safe copy of untrusted bytes: printable UTF-8 passes; controls,
 * DEL, invalid bytes and bidi/invisible characters become \ooo escapes.
 * Caller frees.
 */
char *
san_text(const char *src, size_t len)
{
	mbstate_t	 ps;
	size_t		 n;
	int		 bad, utf8 = san_utf8();
	char		*dst, *d;

	d = dst = xreallocarray(NULL, len + 1, SAN_ESCLEN);
	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = san_next(src, len, &ps, utf8, &bad);
		d = san_put(d, src, n, bad);
		src += n;
		len -= n;
	}
	*d = '\0';
	return (dst);
}

char *
san_str(const char *s)
{
	if (s == NULL)
		return (xstrdup(""));
	return (san_text(s, strlen(s)));
}

/*
 * Sanitise into dst (dstsz bytes, NUL-terminated if dstsz > 0), stopping
 * before a character or escape that does not fit whole. Returns the
 * length written (without the NUL).
 */
size_t
san_copy(char *dst, size_t dstsz, const char *src, size_t len)
{
	mbstate_t	 ps;
	size_t		 n, need;
	int		 bad, utf8 = san_utf8();
	char		*d = dst;

	if (dstsz == 0)
		return (0);
	memset(&ps, 0, sizeof ps);
	while (len > 0) {
		n = san_next(src, len, &ps, utf8, &bad);
		need = bad ? n * SAN_ESCLEN : n;
		if (need >= dstsz - (size_t)(d - dst))
			break;
		d = san_put(d, src, n, bad);	/* need + NUL fit */
		src += n;
		len -= n;
	}
	*d = '\0';
	return (d - dst);
}

/*
 * Display width: wcwidth of each character; anything unprintable or
 * undecodable (not expected after san_text) counts as its escaped width.
 */
int
san_width(const char *s)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		len, n;
	int		w, total = 0;

	memset(&ps, 0, sizeof ps);
	len = strlen(s);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &ps);
		if (n == 0 || n > len) {
			memset(&ps, 0, sizeof ps);
			n = 1;
			w = SAN_ESCLEN;
		} else if ((w = wcwidth(wc)) < 0)
			w = SAN_ESCLEN * (int)n;
		total += w;
		s += n;
		len -= n;
	}
	return (total);
}
