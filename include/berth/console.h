/*
 * console.h: the full-screen ncurses console (berth with no command).
 */
#ifndef BERTH_CONSOLE_H
#define BERTH_CONSOLE_H

struct session;

/*
 * Run the console on the session's loop until the operator quits (q, :q),
 * or SIGINT/SIGTERM/SIGHUP arrives. The terminal is always restored, also
 * on fatal errors and crashes. The session stays owned by the caller (a
 * :ctx switch may replace its connection). Returns the exit status: 0 on
 * a normal quit, 1 when the console cannot start (no terminal, too small
 * is not an error), 128+signal is never returned: signals quit cleanly
 * with 0.
 */
int	console_main(struct session *);

#endif
