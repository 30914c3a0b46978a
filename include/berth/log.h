/*
 * log.h: optional debug log. Off unless BERTH_LOG=FILE is set (or
 * log_open() called); never writes secrets: http.c redacts Authorization
 * headers and bodies of requests that carry credentials. Messages are
 * sanitised (no control bytes reach the file).
 */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

void	log_open(const char *path);	/* NULL: from $BERTH_LOG */
void	log_close(void);
int	log_enabled(void);
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
