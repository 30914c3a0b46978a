/*
 * sanitize.h: make untrusted bytes (anything that came over the network)
 * safe for a terminal, a log or stderr. Printable UTF-8 passes (in a UTF-8
 * locale); control characters, DEL, escape sequences, invalid or cut UTF-8
 * and bidi/invisible format characters become \ooo escapes (libbsd vis).
 * setlocale(LC_ALL, "") must have been called first.
 */
#ifndef BERTH_SANITIZE_H
#define BERTH_SANITIZE_H

#include <stddef.h>

char	*san_text(const char *, size_t);	/* caller frees */
char	*san_str(const char *);			/* NULL -> "" copy */
/* Sanitise into a fixed buffer (truncated at a character boundary). */
size_t	 san_copy(char *dst, size_t dstsz, const char *src, size_t len);
/* Display width of an already-sanitised string in the current locale. */
int	 san_width(const char *);

#endif
