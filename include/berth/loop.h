/*
 * loop.h: the one event loop, shared by the console and the CLI. One
 * thread, one blocking wait: curl_multi_poll() on curl's sockets plus our
 * fds (stdin, signal self-pipe), with the nearest timer as timeout. Each
 * turn: finished transfers (callbacks), ready fds, due timers, then the
 * flush hook (the console redraws only if dirty). Idle means no wake-ups.
 */
#ifndef BERTH_LOOP_H
#define BERTH_LOOP_H

#include <stdint.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_cb)(int fd, void *arg);	/* fd is readable */
typedef void (*loop_timer_cb)(void *arg);
typedef void (*loop_hook_cb)(void *arg);

/*
 * loop_new() also sets SIGPIPE to SIG_IGN (curl runs with CURLOPT_NOSIGNAL,
 * so a peer closing a TLS connection must not kill the process).
 */
struct loop	*loop_new(void);
void		 loop_free(struct loop *);	/* NULL ok; cancels transfers */

/*
 * Watch fd for reading; at most 8 fds. Returns -1 when full. The callback
 * runs only in turns where the fd polled readable (or hung up); work that
 * must run every turn belongs in the flush hook.
 */
int		 loop_add_fd(struct loop *, int, loop_fd_cb, void *);
void		 loop_del_fd(struct loop *, int);

/* One-shot timer, ms from now. The handle is invalid after it fires. */
struct loop_timer *loop_timer_add(struct loop *, unsigned int, loop_timer_cb,
		    void *);
void		 loop_timer_cancel(struct loop *, struct loop_timer *); /* NULL ok */

/* Called at the end of every turn (the console's render). */
void		 loop_set_flush(struct loop *, loop_hook_cb, void *);
/*
 * Called at the end of a turn when no request is in flight (none running,
 * none waiting to retry) and no timer is already due (screen tests wait
 * on it through BERTH_TEST_IDLE). Runs after the flush hook.
 */
void		 loop_set_idle(struct loop *, loop_hook_cb, void *);

/* Run one turn, waiting at most max_ms (-1: until something happens). */
void		 loop_once(struct loop *, int);
void		 loop_run(struct loop *);	/* until loop_quit() */
void		 loop_quit(struct loop *);
/*
 * 1 once loop_quit() or loop_interrupt() was called: every wait loop
 * that runs loop_once() until something is done (http_wait(), the
 * harbor/oci *_sync twins, probe_run()) checks this and gives up
 * ("interrupted"), cancelling its requests.
 */
int		 loop_quitting(const struct loop *);
/*
 * Interrupt the synchronous call running now (the console's Esc during a
 * ':' command): loop_quitting() turns 1 so its nested waits give up, but
 * loop_run() goes on. The caller clears it once the call has returned.
 */
void		 loop_interrupt(struct loop *);
void		 loop_interrupt_clear(struct loop *);
int		 loop_interrupted(const struct loop *);
/* Wake a blocked loop_once() from a signal handler (async-signal-safe). */
void		 loop_wakeup(struct loop *);
/* Requests in flight, including those waiting for a retry. */
unsigned int	 loop_transfers(const struct loop *);

uint64_t	 loop_now_ms(void);		/* CLOCK_MONOTONIC */

#endif
