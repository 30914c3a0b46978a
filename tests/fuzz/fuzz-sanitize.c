/*
 * fuzz-sanitize.c: san_text/san_copy/san_width on arbitrary bytes.
 * Invariants: no byte below 0x20 and no DEL in the output, the output is
 * valid in the locale (UTF-8), san_copy never overflows and stays a prefix
 * of san_text's result, widths are never negative.
 */
#include "config.h"

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "berth/sanitize.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		abort();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*out, buf[64];
	size_t	 i, n, dstsz;

	out = san_text((const char *)data, size);
	for (i = 0; out[i] != '\0'; i++) {
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			abort();
	}
	if (mbstowcs(NULL, out, 0) == (size_t)-1)
		abort();
	if (san_width(out) < 0)
		abort();
	dstsz = size > 0 ? data[0] % sizeof buf : 0;
	memset(buf, 'Z', sizeof buf);
	n = san_copy(buf, dstsz, (const char *)data, size);
	if (dstsz > 0) {
		if (n >= dstsz || buf[n] != '\0' || strlen(buf) != n ||
		    strncmp(buf, out, n) != 0)
			abort();
	} else if (n != 0 || buf[0] != 'Z')
		abort();
	for (i = dstsz; i < sizeof buf; i++) {
		if (buf[i] != 'Z')
			abort();
	}
	free(out);
	return (0);
}
