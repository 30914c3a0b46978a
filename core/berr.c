/* berr.c: expected-failure reports. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "berth/berr.h"

int
berr_set(struct berr *err, enum berr_kind kind, long status,
    const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return (-1);
	err->kind = kind;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return (-1);
}

int
berr_prefix(struct berr *err, const char *fmt, ...)
{
	char	pfx[BERR_MSGLEN], old[BERR_MSGLEN];
	va_list	ap;

	if (err == NULL)
		return (-1);
	va_start(ap, fmt);
	vsnprintf(pfx, sizeof pfx, fmt, ap);
	va_end(ap);
	strlcpy(old, err->msg, sizeof old);
	strlcpy(err->msg, pfx, sizeof err->msg);
	strlcat(err->msg, ": ", sizeof err->msg);
	strlcat(err->msg, old, sizeof err->msg);
	return (-1);
}

void
berr_clear(struct berr *err)
{
	if (err == NULL)
		return;
	err->kind = BERR_NONE;
	err->status = 0;
	err->msg[0] = '\0';
}

int
berr_exit_code(const struct berr *err)
{
	if (err == NULL)
		return (1);
	switch (err->kind) {
	case BERR_NONE:
		return (0);
	case BERR_USAGE:
		return (2);
	case BERR_NET:
	case BERR_TLS:
	case BERR_AUTH:
		return (3);
	default:
		return (1);
	}
}

const char *
berr_kind_name(enum berr_kind kind)
{
	static const char *const names[] = {
		"none", "usage", "config", "network", "tls", "auth", "http",
		"json", "too-big", "cancelled", "read-only", "other"
	};

	if ((unsigned int)kind >= sizeof names / sizeof names[0])
		return ("other");
	return (names[kind]);
}
