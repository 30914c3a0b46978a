/*
 * loop.c: the one event loop. One blocking wait, curl_multi_poll(), on
 * curl's sockets plus up to LOOP_MAXFD of our fds, bounded by the nearest
 * timer. Each turn: finished transfers, ready fds, due timers, the flush
 * hook, and the idle hook when nothing is in flight. No periodic timer:
 * an idle loop sleeps until an fd, a transfer or loop_wakeup() stirs it.
 */
#include "config.h"

#include <sys/queue.h>

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "berth/loop.h"
#include "berth/xmalloc.h"
#include "loop-private.h"

#define LOOP_MAXFD	8

struct loop_fd {
	int		 fd;		/* -1: free slot */
	loop_fd_cb	 cb;
	void		*arg;
};

struct loop_timer {
	uint64_t		 due_us;	/* CLOCK_MONOTONIC */
	uint64_t		 seq;		/* creation order */
	loop_timer_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(loop_timer)	 entry;
};
TAILQ_HEAD(loop_timers, loop_timer);

struct loop {
	CURLM			*multi;
	struct loop_fd		 fds[LOOP_MAXFD];
	struct loop_timers	 timers;	/* sorted by due_us, then seq */
	uint64_t		 timer_seq;
	TAILQ_HEAD(, loop_client) clients;
	unsigned int		 busy;		/* requests in flight */
	unsigned int		 xfers;		/* easy handles on the multi */
	volatile int		 quit;
	int			 interrupted;	/* loop_interrupt() */
	loop_hook_cb		 flush;
	void			*flush_arg;
	loop_hook_cb		 idle;
	void			*idle_arg;
};

static unsigned int	loop_curl_users;

static uint64_t
loop_now_us(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		fatal("clock_gettime");
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

uint64_t
loop_now_ms(void)
{
	return (loop_now_us() / 1000);
}

/*
 * Create a loop and its curl multi handle (curl_global_init on first use;
 * single-threaded program, so the refcount needs no lock).
 */
struct loop *
loop_new(void)
{
	struct loop	*lp;
	unsigned int	 i;

	if (loop_curl_users++ == 0 &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatalx("curl_global_init failed");
	signal(SIGPIPE, SIG_IGN);	/* CURLOPT_NOSIGNAL: ours to do */
	lp = xcalloc(1, sizeof *lp);
	if ((lp->multi = curl_multi_init()) == NULL)
		fatalx("curl_multi_init failed");
	/* Keep enough idle connections for paged loads to reuse them. */
	curl_multi_setopt(lp->multi, CURLMOPT_MAXCONNECTS, 32L);
	curl_multi_setopt(lp->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	for (i = 0; i < LOOP_MAXFD; i++)
		lp->fds[i].fd = -1;
	TAILQ_INIT(&lp->timers);
	TAILQ_INIT(&lp->clients);
	return (lp);
}

/*
 * Free the loop: clients (http) drop their transfers first, then pending
 * timers are discarded without firing.
 */
void
loop_free(struct loop *lp)
{
	struct loop_client	*lc;
	struct loop_timer	*t;

	if (lp == NULL)
		return;
	while ((lc = TAILQ_FIRST(&lp->clients)) != NULL) {
		TAILQ_REMOVE(&lp->clients, lc, entry);
		lc->gone(lc->arg);
	}
	while ((t = TAILQ_FIRST(&lp->timers)) != NULL) {
		TAILQ_REMOVE(&lp->timers, t, entry);
		free(t);
	}
	curl_multi_cleanup(lp->multi);
	free(lp);
	if (--loop_curl_users == 0)
		curl_global_cleanup();
}

int
loop_add_fd(struct loop *lp, int fd, loop_fd_cb cb, void *arg)
{
	unsigned int	i;

	assert(fd >= 0 && cb != NULL);
	for (i = 0; i < LOOP_MAXFD; i++) {
		if (lp->fds[i].fd == -1) {
			lp->fds[i].fd = fd;
			lp->fds[i].cb = cb;
			lp->fds[i].arg = arg;
			return (0);
		}
	}
	return (-1);
}

void
loop_del_fd(struct loop *lp, int fd)
{
	unsigned int	i;

	for (i = 0; i < LOOP_MAXFD; i++) {
		if (lp->fds[i].fd == fd)
			lp->fds[i].fd = -1;
	}
}

/* One-shot timer; ms from now. Equal deadlines fire in creation order. */
struct loop_timer *
loop_timer_add(struct loop *lp, unsigned int ms, loop_timer_cb cb, void *arg)
{
	struct loop_timer	*t, *at;

	assert(cb != NULL);
	t = xcalloc(1, sizeof *t);
	t->due_us = loop_now_us() + (uint64_t)ms * 1000;
	t->seq = lp->timer_seq++;
	t->cb = cb;
	t->arg = arg;
	/* Most timers go last: walk from the tail. */
	TAILQ_FOREACH_REVERSE(at, &lp->timers, loop_timers, entry) {
		if (at->due_us <= t->due_us) {
			TAILQ_INSERT_AFTER(&lp->timers, at, t, entry);
			return (t);
		}
	}
	TAILQ_INSERT_HEAD(&lp->timers, t, entry);
	return (t);
}

void
loop_timer_cancel(struct loop *lp, struct loop_timer *t)
{
	if (t == NULL)
		return;
	TAILQ_REMOVE(&lp->timers, t, entry);
	free(t);
}

void
loop_set_flush(struct loop *lp, loop_hook_cb cb, void *arg)
{
	lp->flush = cb;
	lp->flush_arg = arg;
}

void
loop_set_idle(struct loop *lp, loop_hook_cb cb, void *arg)
{
	lp->idle = cb;
	lp->idle_arg = arg;
}

/* Poll timeout: min(max_ms, time to the nearest timer). */
static int
loop_timeout(struct loop *lp, int max_ms)
{
	struct loop_timer	*t;
	uint64_t		 now, left;
	int			 ms;

	/* curl_multi_poll() wants a finite timeout: "forever" is INT_MAX. */
	if ((t = TAILQ_FIRST(&lp->timers)) == NULL)
		return (max_ms < 0 ? INT_MAX : max_ms);
	now = loop_now_us();
	if (t->due_us <= now)
		return (0);
	left = (t->due_us - now + 999) / 1000;	/* round up: no early spin */
	ms = left > INT_MAX ? INT_MAX : (int)left;
	if (max_ms >= 0 && max_ms < ms)
		ms = max_ms;
	return (ms);
}

static unsigned int
loop_fill_waitfds(struct loop *lp, struct curl_waitfd *wfd)
{
	unsigned int	i, n = 0;

	for (i = 0; i < LOOP_MAXFD; i++) {
		if (lp->fds[i].fd == -1)
			continue;
		wfd[n].fd = lp->fds[i].fd;
		wfd[n].events = CURL_WAIT_POLLIN;
		wfd[n].revents = 0;
		n++;
	}
	return (n);
}

/* Finished transfers: hand each to its owner (http.c). */
static void
loop_reap(struct loop *lp)
{
	CURLMsg			*msg;
	int			 left;
	struct loop_xfer	*xfer;

	while ((msg = curl_multi_info_read(lp->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		xfer = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&xfer);
		if (xfer == NULL) {
			loop_xfer_remove(lp, msg->easy_handle);
			continue;
		}
		xfer->done(xfer, msg->data.result);
	}
}

/* Ready fds; a callback may remove any fd, so recheck each slot. */
static void
loop_run_fds(struct loop *lp, struct curl_waitfd *wfd, unsigned int nfd)
{
	unsigned int	i, j;

	for (i = 0; i < nfd; i++) {
		if (wfd[i].revents == 0)
			continue;
		for (j = 0; j < LOOP_MAXFD; j++) {
			if (lp->fds[j].fd == wfd[i].fd) {
				lp->fds[j].cb(wfd[i].fd, lp->fds[j].arg);
				break;
			}
		}
	}
}

/* Due timers; those a callback adds fire on a later turn at the earliest. */
static void
loop_run_timers(struct loop *lp)
{
	struct loop_timer	*t;
	uint64_t		 now, seq;

	now = loop_now_us();
	seq = lp->timer_seq;
	/*
	 * A timer added by a callback is due no earlier than now, so it sorts
	 * after every timer that was already due: stop at the first one.
	 */
	for (;;) {
		if ((t = TAILQ_FIRST(&lp->timers)) == NULL || t->due_us > now ||
		    t->seq >= seq)
			break;
		TAILQ_REMOVE(&lp->timers, t, entry);
		t->cb(t->arg);
		free(t);
	}
}

static int
loop_idle_now(struct loop *lp)
{
	struct loop_timer	*t;

	if (lp->busy != 0)
		return (0);
	t = TAILQ_FIRST(&lp->timers);
	return (t == NULL || t->due_us > loop_now_us());
}

/*
 * Run one turn: wait at most max_ms (-1: until something happens), then
 * finished transfers, ready fds, due timers, flush and maybe idle.
 */
void
loop_once(struct loop *lp, int max_ms)
{
	struct curl_waitfd	wfd[LOOP_MAXFD];
	unsigned int		nfd;
	int			running;
	CURLMcode		mc;

	nfd = loop_fill_waitfds(lp, wfd);
	mc = curl_multi_poll(lp->multi, wfd, nfd, loop_timeout(lp, max_ms),
	    NULL);
	if (mc != CURLM_OK)
		fatalx("curl_multi_poll: %s", curl_multi_strerror(mc));
	mc = curl_multi_perform(lp->multi, &running);
	if (mc != CURLM_OK)
		fatalx("curl_multi_perform: %s", curl_multi_strerror(mc));
	loop_reap(lp);
	loop_run_fds(lp, wfd, nfd);
	loop_run_timers(lp);
	if (lp->flush != NULL)
		lp->flush(lp->flush_arg);
	if (lp->idle != NULL && loop_idle_now(lp))
		lp->idle(lp->idle_arg);
}

void
loop_run(struct loop *lp)
{
	while (!lp->quit)
		loop_once(lp, -1);
}

void
loop_quit(struct loop *lp)
{
	lp->quit = 1;
	loop_wakeup(lp);
}

int
loop_quitting(const struct loop *lp)
{
	return (lp->quit || lp->interrupted);
}

/*
 * Make every nested wait give up (they all stop when loop_quitting()),
 * without stopping loop_run(): the console cancels a ':' command this way.
 */
void
loop_interrupt(struct loop *lp)
{
	lp->interrupted = 1;
	loop_wakeup(lp);
}

void
loop_interrupt_clear(struct loop *lp)
{
	lp->interrupted = 0;
}

int
loop_interrupted(const struct loop *lp)
{
	return (lp->interrupted);
}

/*
 * Async-signal-safe: curl_multi_wakeup() writes one byte to the multi's
 * wakeup socketpair. errno is preserved for the interrupted code.
 */
void
loop_wakeup(struct loop *lp)
{
	int	saved = errno;

	curl_multi_wakeup(lp->multi);
	errno = saved;
}

unsigned int
loop_transfers(const struct loop *lp)
{
	return (lp->busy);
}

CURLM *
loop_multi(struct loop *lp)
{
	return (lp->multi);
}

void
loop_xfer_add(struct loop *lp, CURL *easy, struct loop_xfer *xfer)
{
	CURLMcode	mc;

	curl_easy_setopt(easy, CURLOPT_PRIVATE, xfer);
	if ((mc = curl_multi_add_handle(lp->multi, easy)) != CURLM_OK)
		fatalx("curl_multi_add_handle: %s", curl_multi_strerror(mc));
	lp->xfers++;
}

void
loop_xfer_remove(struct loop *lp, CURL *easy)
{
	CURLMcode	mc;

	if ((mc = curl_multi_remove_handle(lp->multi, easy)) != CURLM_OK)
		fatalx("curl_multi_remove_handle: %s",
		    curl_multi_strerror(mc));
	assert(lp->xfers > 0);
	lp->xfers--;
}

void
loop_busy(struct loop *lp, int delta)
{
	assert(delta >= 0 || lp->busy >= (unsigned int)-delta);
	lp->busy += delta;
}

void
loop_client_add(struct loop *lp, struct loop_client *lc)
{
	TAILQ_INSERT_TAIL(&lp->clients, lc, entry);
}

void
loop_client_del(struct loop *lp, struct loop_client *lc)
{
	TAILQ_REMOVE(&lp->clients, lc, entry);
}
