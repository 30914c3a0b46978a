/* test-loop.c: timers, fds, hooks, wakeup and quit of the event loop. */
#include "config.h"

#include <sys/time.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "berth/loop.h"

#define DEADLINE_MS	10000

struct order {
	int	seen[16];
	int	n;
};

struct tagged {
	struct order	*o;
	int		 tag;
};

static void
order_cb(void *arg)
{
	struct tagged	*t = arg;

	t->o->seen[t->o->n++] = t->tag;
}

/* Run turns until cond() or the deadline; returns cond(). */
static int
run_until(struct loop *lp, int (*cond)(void *), void *arg)
{
	uint64_t	end = loop_now_ms() + DEADLINE_MS;

	while (!cond(arg) && loop_now_ms() < end)
		loop_once(lp, 100);
	return (cond(arg));
}

static int
order_full(void *arg)
{
	return (((struct order *)arg)->n >= 5);
}

static void
test_timers_in_order(void **state)
{
	struct loop	*lp = loop_new();
	struct order	 o;
	struct tagged	 t[6];
	struct loop_timer *cancelled;
	unsigned int	 ms[] = { 40, 10, 30, 20, 20 };
	int		 i, want[] = { 1, 3, 4, 2, 0 };
	uint64_t	 start = loop_now_ms();

	memset(&o, 0, sizeof o);
	for (i = 0; i < 5; i++) {
		t[i].o = &o;
		t[i].tag = i;
		loop_timer_add(lp, ms[i], order_cb, &t[i]);
	}
	t[5].o = &o;
	t[5].tag = 99;
	cancelled = loop_timer_add(lp, 15, order_cb, &t[5]);
	loop_timer_cancel(lp, cancelled);
	loop_timer_cancel(lp, NULL);
	assert_true(run_until(lp, order_full, &o));
	assert_int_equal(o.n, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(o.seen[i], want[i]);
	assert_true(loop_now_ms() - start >= 40);
	loop_free(lp);
}

struct rearm {
	struct loop	*lp;
	int		 fired;
};

static void
rearm_cb(void *arg)
{
	struct rearm	*r = arg;

	if (r->fired++ < 3)
		loop_timer_add(r->lp, 0, rearm_cb, r);
}

/* A zero-delay timer added by a timer waits for the next turn. */
static void
test_timer_added_in_callback(void **state)
{
	struct rearm	r = { loop_new(), 0 };

	loop_timer_add(r.lp, 0, rearm_cb, &r);
	loop_once(r.lp, 0);
	assert_int_equal(r.fired, 1);
	loop_once(r.lp, 0);
	assert_int_equal(r.fired, 2);
	loop_once(r.lp, 0);
	loop_once(r.lp, 0);
	assert_int_equal(r.fired, 4);
	loop_free(r.lp);
}

struct hooks {
	int	flush;
	int	idle;
};

static void
flush_cb(void *arg)
{
	((struct hooks *)arg)->flush++;
}

static void
idle_cb(void *arg)
{
	((struct hooks *)arg)->idle++;
}

static void
noop_cb(void *arg)
{
}

static void
test_hooks(void **state)
{
	struct loop	*lp = loop_new();
	struct hooks	 h = { 0, 0 };
	struct loop_timer *t;

	loop_set_flush(lp, flush_cb, &h);
	loop_set_idle(lp, idle_cb, &h);
	loop_once(lp, 0);
	assert_int_equal(h.flush, 1);
	assert_int_equal(h.idle, 1);
	assert_int_equal(loop_transfers(lp), 0);
	/* A pending (not yet due) timer does not stop idleness. */
	t = loop_timer_add(lp, 60000, noop_cb, NULL);
	loop_once(lp, 0);
	assert_int_equal(h.flush, 2);
	assert_int_equal(h.idle, 2);
	loop_timer_cancel(lp, t);
	loop_set_idle(lp, NULL, NULL);
	loop_once(lp, 0);
	assert_int_equal(h.flush, 3);
	assert_int_equal(h.idle, 2);
	loop_free(lp);
}

struct fdhit {
	int	fd;
	int	hits;
	char	last;
};

static void
fd_cb(int fd, void *arg)
{
	struct fdhit	*f = arg;

	assert_int_equal(fd, f->fd);
	assert_int_equal(read(fd, &f->last, 1), 1);
	f->hits++;
}

static void
test_fds(void **state)
{
	struct loop	*lp = loop_new();
	struct fdhit	 f;
	int		 p[2], i, extra[2];

	assert_int_equal(pipe(p), 0);
	f.fd = p[0];
	f.hits = 0;
	assert_int_equal(loop_add_fd(lp, p[0], fd_cb, &f), 0);
	/* Nothing to read: a bounded turn returns without a call. */
	loop_once(lp, 20);
	assert_int_equal(f.hits, 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	loop_once(lp, DEADLINE_MS);
	assert_int_equal(f.hits, 1);
	assert_int_equal(f.last, 'x');
	/* Eight fds at most. */
	assert_int_equal(pipe(extra), 0);
	for (i = 1; i < 8; i++)
		assert_int_equal(loop_add_fd(lp, extra[0], fd_cb, &f), 0);
	assert_int_equal(loop_add_fd(lp, extra[0], fd_cb, &f), -1);
	loop_del_fd(lp, extra[0]);
	loop_del_fd(lp, p[0]);
	assert_int_equal(write(p[1], "y", 1), 1);
	loop_once(lp, 20);
	assert_int_equal(f.hits, 1);
	close(p[0]);
	close(p[1]);
	close(extra[0]);
	close(extra[1]);
	loop_free(lp);
}

static struct loop	*alarm_loop;
static volatile sig_atomic_t alarm_fired;

static void
alarm_handler(int sig)
{
	alarm_fired = 1;
	loop_wakeup(alarm_loop);
}

/* loop_wakeup() from a signal handler ends a long wait. */
static void
test_wakeup_from_signal(void **state)
{
	struct sigaction	sa;
	struct itimerval	it;
	uint64_t		start;

	alarm_loop = loop_new();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = alarm_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 50000;
	start = loop_now_ms();
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	while (!alarm_fired && loop_now_ms() - start < 30000)
		loop_once(alarm_loop, 30000);
	assert_true(alarm_fired);
	/* The wait ended on the wakeup, not its 30 s timeout. */
	assert_true(loop_now_ms() - start < 20000);
	signal(SIGALRM, SIG_DFL);
	loop_free(alarm_loop);
	alarm_loop = NULL;
}

static void
quit_cb(void *arg)
{
	loop_quit(arg);
}

static void
test_quit(void **state)
{
	struct loop	*lp = loop_new();
	uint64_t	 start = loop_now_ms();

	assert_false(loop_quitting(lp));
	loop_timer_add(lp, 30, quit_cb, lp);
	loop_run(lp);
	assert_true(loop_quitting(lp));
	assert_true(loop_now_ms() - start >= 30);
	loop_free(lp);
	loop_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_in_order),
		cmocka_unit_test(test_timer_added_in_callback),
		cmocka_unit_test(test_hooks),
		cmocka_unit_test(test_fds),
		cmocka_unit_test(test_wakeup_from_signal),
		cmocka_unit_test(test_quit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
