/*
 * fuzz-settings.c: the config parser on arbitrary text. A file that
 * loads must resolve, and every context in it must have a valid name and
 * no control character in any value (so that saving it reads back the same).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "berth/berr.h"
#include "berth/settings.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
bad_value(const char *v)
{
	for (; v != NULL && *v != '\0'; v++) {
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return (1);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings	*s;
	struct context	*c, out;
	struct berr	 err;

	berr_clear(&err);
	if (settings_load_buf("fuzz", (const char *)data, size, &s,
	    &err) != 0) {
		if (err.kind != BERR_CONFIG || strncmp(err.msg, "fuzz:", 5))
			abort();
		return (0);
	}
	TAILQ_FOREACH(c, &s->contexts, entry) {
		if (!context_name_valid(c->name) || bad_value(c->url) ||
		    bad_value(c->user) || bad_value(c->password_source) ||
		    bad_value(c->ca_file))
			abort();
	}
	if (settings_resolve(s, NULL, &out, &err) == 0)
		(void)context_check(&out, &err);
	context_clear(&out);
	settings_free(s);
	return (0);
}
