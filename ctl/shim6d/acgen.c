// SPDX-License-Identifier: GPL-2.0
/* CGA generation in worker threads, results through a pipe; see acgen.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/shim6d/acgen.h"
#include "ctl/shim6d/log.h"

static void progress(const struct cga_gen_stats *so_far, unsigned int sec, void *arg)
{
	struct acgen_job *j = arg;

	atomic_store(&j->tries, so_far->tries);
}

static void *worker(void *arg)
{
	struct acgen_job *j = arg;
	struct cga_gen_opts o = {
		.sec = j->sec, .threads = j->threads, .cancel = &j->cancel,
		.progress = progress, .progress_arg = j,
	};
	ssize_t n;

	j->err = cga_gen(&j->p, &o, j->addr, &j->st);
	atomic_store(&j->tries, j->st.tries);
	/* a pointer is far below PIPE_BUF: the write is atomic */
	do
		n = write(j->g->pfd[1], &j, sizeof(j));
	while (n < 0 && errno == EINTR);
	return NULL;
}

static void unlink_job(struct acgen *g, struct acgen_job *j)
{
	struct acgen_job **pp;

	for (pp = &g->jobs; *pp; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			return;
		}
}

static void on_pipe(evutil_socket_t fd, short what, void *arg)
{
	struct acgen *g = arg;
	struct acgen_job *j;

	while (read(fd, &j, sizeof(j)) == (ssize_t)sizeof(j)) {
		pthread_join(j->th, NULL);
		unlink_job(g, j);
		g->running--;
		g->completed++;
		if (j->done)
			j->done(j, j->arg);
		free(j);
	}
}

int acgen_init(struct acgen *g, struct event_base *base)
{
	memset(g, 0, sizeof(*g));
	g->pfd[0] = g->pfd[1] = -1;
	if (pipe2(g->pfd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	g->ev = event_new(base, g->pfd[0], EV_READ | EV_PERSIST, on_pipe, g);
	if (!g->ev || event_add(g->ev, NULL)) {
		acgen_fini(g);
		return -ENOMEM;
	}
	return 0;
}

struct acgen_job *acgen_start(struct acgen *g, const struct cga_params *p, unsigned int sec,
			      unsigned int threads, acgen_done_fn done, void *arg)
{
	struct acgen_job *j = calloc(1, sizeof(*j));
	int err;

	if (!j)
		return NULL;
	j->p = *p;
	j->sec = sec;
	j->threads = threads;
	j->done = done;
	j->arg = arg;
	j->g = g;
	atomic_init(&j->cancel, false);
	atomic_init(&j->tries, 0);
	err = pthread_create(&j->th, NULL, worker, j);
	if (err) {
		free(j);
		errno = err;
		return NULL;
	}
	j->next = g->jobs;
	g->jobs = j;
	g->running++;
	return j;
}

void acgen_cancel(struct acgen_job *j)
{
	j->done = NULL;
	atomic_store(&j->cancel, true);
}

void acgen_fini(struct acgen *g)
{
	struct acgen_job *j;

	for (j = g->jobs; j; j = j->next)
		acgen_cancel(j);
	while ((j = g->jobs)) {
		pthread_join(j->th, NULL);
		g->jobs = j->next;
		free(j);
	}
	if (g->ev)
		event_free(g->ev);
	if (g->pfd[0] >= 0) {
		close(g->pfd[0]);
		close(g->pfd[1]);
	}
	memset(g, 0, sizeof(*g));
	g->pfd[0] = g->pfd[1] = -1;
}
