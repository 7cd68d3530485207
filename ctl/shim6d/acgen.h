/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CGA generation off the event loop.  A Sec 1 CGA takes milliseconds, a
 * Sec 2 one minutes of Hash2 search: the daemon must keep answering
 * handshakes and its control socket meanwhile.  Each job runs crypto/'s
 * cga_gen() in its own thread (which may start more search threads); when
 * it ends, the thread writes the job's pointer into a pipe whose read end
 * is a libevent event, so the result is handed over on the loop thread and
 * the done callback never races with the loop.
 */
#ifndef SHIM6D_ACGEN_H
#define SHIM6D_ACGEN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "crypto/cga.h"

struct acgen_job;
/* Called on the loop thread; the job is freed after it returns. */
typedef void (*acgen_done_fn)(struct acgen_job *j, void *arg);

struct acgen_job {
	/* result, valid in the done callback */
	struct cga_params p;		/* final modifier and collision count */
	uint8_t	addr[16];
	int	err;			/* 0, -ECANCELED, -EADDRINUSE, -errno */
	struct cga_gen_stats st;
	/* progress, readable from the loop while it runs */
	atomic_uint_fast64_t tries;
	/* private */
	unsigned int sec, threads;
	atomic_bool cancel;
	pthread_t th;
	acgen_done_fn done;		/* NULL once cancelled */
	void	*arg;
	struct acgen *g;
	struct acgen_job *next;
};

struct acgen {
	int	pfd[2];
	struct event *ev;
	struct acgen_job *jobs;		/* running or finished, not yet handed over */
	unsigned int running;
	uint64_t completed;
};

int acgen_init(struct acgen *g, struct event_base *base);
/*
 * Start generating a CGA for p (prefix, public key, extensions set), Sec
 * `sec`, with `threads` search threads (0: every CPU).  Returns the job,
 * or NULL with errno set.
 */
struct acgen_job *acgen_start(struct acgen *g, const struct cga_params *p, unsigned int sec,
			      unsigned int threads, acgen_done_fn done, void *arg);
/* Stop a job: its done callback will not be called.  Does not block. */
void acgen_cancel(struct acgen_job *j);
/* Cancel everything, wait for the threads, free. */
void acgen_fini(struct acgen *g);

#endif
