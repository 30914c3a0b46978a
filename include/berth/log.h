/*
 * log.h: optional debug log. Off unless BERTH_LOG=FILE is set (or
 * log_open() called); never writes secrets: http.c redacts Authorization
 * headers and bodies of requests that carry credentials. Messages are
 * sanitised with san_text() (no control, C1, bidi or invalid UTF-8 bytes
 * reach the file).
 */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

/*
 * log_open(NULL) reads $BERTH_LOG; without a call, the first log_enabled()
 * or log_debug() does that. The file is opened for append, mode 0600.
 */
void	log_open(const char *path);	/* NULL: from $BERTH_LOG */
void	log_close(void);
int	log_enabled(void);
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
