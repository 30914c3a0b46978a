/*
 * xmalloc.h: allocation that never returns NULL (OOM is fatal) and the
 * fatal-error path, which runs registered teardown hooks (the console
 * restores the terminal) before printing and exiting.
 */
#ifndef BERTH_XMALLOC_H
#define BERTH_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Called by fatal()/fatalx() before the message is printed (LIFO, max 8). */
typedef void (*fatal_hook)(void);
void	 fatal_add_hook(fatal_hook);
/* Print "berth: message[: strerror]" to stderr and exit(1). */
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	 fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#ifndef nitems
#define nitems(a) (sizeof (a) / sizeof ((a)[0]))
#endif

#endif
