/*
 * log.c: the optional debug log. Off unless BERTH_LOG=FILE (or log_open()
 * with a path). Lines carry a UTC timestamp and go through san_text()
 * (controls, C1, invalid UTF-8 and bidi characters escaped as \ooo) so
 * nothing from the network can drive a terminal that later shows the
 * file. Secrets are kept out by the callers (http.c). Mode 0600.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "berth/log.h"
#include "berth/sanitize.h"
#include "berth/xmalloc.h"

static FILE	*log_file;
static int	 log_tried;	/* $BERTH_LOG looked at, or log_open/close */

/* The first question about the log opens $BERTH_LOG, if set. */
static void
log_init(void)
{
	if (!log_tried)
		log_open(NULL);
}

/*
 * Open the log (append, 0600; an existing file is made 0600, or left
 * alone when that fails or it is not a regular file). NULL path:
 * $BERTH_LOG, or stay off.
 */
void
log_open(const char *path)
{
	struct stat	sb;
	int		fd;

	log_tried = 1;
	if (path == NULL)
		path = getenv("BERTH_LOG");
	if (path == NULL || *path == '\0')
		return;
	log_close();
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1)
		return;
	/* An existing file others may read becomes 0600, or is not used. */
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    ((sb.st_mode & 077) != 0 && fchmod(fd, 0600) == -1)) {
		close(fd);
		return;
	}
	if ((log_file = fdopen(fd, "a")) == NULL) {
		close(fd);
		return;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	log_tried = 1;
	if (log_file != NULL) {
		fclose(log_file);
		log_file = NULL;
	}
}

int
log_enabled(void)
{
	log_init();
	return (log_file != NULL);
}

/*
 * Write s to the log through san_text(): controls, C1 (raw or UTF-8),
 * invalid UTF-8 and bidi/invisible characters escaped, so that viewing
 * the log in a terminal is safe.
 */
static void
log_write_clean(const char *s)
{
	char	*t;

	t = san_str(s);
	fputs(t, log_file);
	free(t);
}

void
log_debug(const char *fmt, ...)
{
	va_list		 ap;
	char		*msg, stamp[32];
	struct timeval	 tv;
	struct tm	 tm;

	log_init();
	if (log_file == NULL)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	fprintf(log_file, "%s.%03ldZ %ld ", stamp, (long)tv.tv_usec / 1000,
	    (long)getpid());
	log_write_clean(msg);
	fputc('\n', log_file);
	free(msg);
}
