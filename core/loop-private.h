/*
 * loop-private.h: what core/http.c needs from core/loop.c, and nothing
 * outside core/ may use. The loop owns the one CURLM handle; http.c adds
 * its easy handles through here and is told when each one finishes.
 */
#ifndef BERTH_LOOP_PRIVATE_H
#define BERTH_LOOP_PRIVATE_H

#include <sys/queue.h>

#include <curl/curl.h>

struct loop;

/*
 * A transfer on the multi handle. The loop stores a pointer to it in
 * CURLOPT_PRIVATE; when curl reports CURLMSG_DONE the loop calls done()
 * (the handle is still attached: done() must loop_xfer_remove() it).
 */
struct loop_xfer {
	void	(*done)(struct loop_xfer *, CURLcode);
};

/*
 * A user of the multi handle (an http client). When the loop is freed
 * first, gone(arg) is called so the client can drop its transfers.
 */
struct loop_client {
	void			(*gone)(void *);
	void			*arg;
	TAILQ_ENTRY(loop_client) entry;
};

CURLM	*loop_multi(struct loop *);
void	 loop_xfer_add(struct loop *, CURL *, struct loop_xfer *);
void	 loop_xfer_remove(struct loop *, CURL *);
/* Requests in flight, counting those waiting for a retry (loop_transfers). */
void	 loop_busy(struct loop *, int);
void	 loop_client_add(struct loop *, struct loop_client *);
void	 loop_client_del(struct loop *, struct loop_client *);

#endif
