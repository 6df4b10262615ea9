/*
 * udp_worker: recvfrom, police, answer, sendto, in a poll loop with a
 * self-pipe for SIGTERM (stop) and SIGHUP (reopen the log).  SIGINT is
 * ignored: Ctrl-C reaches the whole process group, and it is the
 * listener's job to stop the worker.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "netio.h"
#include "proctitle.h"
#include "proto.h"
#include "ratelimit.h"
#include "sig.h"
#include "udp_worker.h"
#include "verbs.h"

#define RL_ENTRIES	4096
#define BATCH		64	/* datagrams per wake-up before signals */
#define PARENT_CHECK_MS	1000	/* how often to make sure the listener lives */

struct worker {
	int			 fd;
	int			 port;
	const struct config	*cfg;
	struct scoreboard	*sb;
	struct ratelimit	 rl;
	struct reply		 reply;
	struct buf		 out;
	unsigned char		 dgram[PROTO_UDP_MAX_DGRAM + 1];
};

static void
count(_Atomic uint64_t *counter)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter,
	    memory_order_relaxed) + 1, memory_order_relaxed);
}

/*
 * Datagrams that must never be answered, because the answer could start
 * a loop: from port 0; from our own port (this worker, or another forkd,
 * on any host); or that are themselves replies ("+OK", "-ERR"), as two
 * servers answering each other's errors would go on for ever.
 */
static int
must_ignore(const struct worker *w, const struct sockaddr *from, size_t n)
{
	int	 port = sock_addr_port(from);

	if (port == 0 || port == w->port)
		return 1;
	return (n >= 3 && memcmp(w->dgram, "+OK", 3) == 0) ||
	    (n >= 4 && memcmp(w->dgram, "-ERR", 4) == 0);
}

/* Build the reply to one datagram in w->out. -1 on ENOMEM. */
static int
answer(struct worker *w, size_t n, const char *peer)
{
	struct verb_ctx	 ctx = { w->sb, 0, peer, 0, 1, 0 };
	struct cmd	 c;
	char		*req = (char *)w->dgram;
	int		 ms;

	/* One trailing line terminator is not part of the request. */
	if (n > 0 && req[n - 1] == '\n')
		n--;
	if (n > 0 && req[n - 1] == '\r')
		n--;
	cmd_parse(req, n, &c);
	log_event(LOG_LVL_DEBUG, "request", "proto=udp peer=%s verb=%s "
	    "bytes=%zu", peer, c.name, n);
	if (n == 0) {
		if (reply_err(&w->reply, "empty request") == -1)
			return -1;
	} else if (verbs_run(&c, &ctx, &w->reply, &ms) == -1)
		return -1;
	buf_clear(&w->out);
	if (reply_encode(&w->reply, REPLY_UDP, &w->out) == 0)
		return 0;
	if (errno != EMSGSIZE || reply_err(&w->reply,
	    "reply over %d bytes, use TCP", PROTO_UDP_MAX_REPLY) == -1)
		return -1;
	buf_clear(&w->out);
	return reply_encode(&w->reply, REPLY_UDP, &w->out);
}

/* Receive and answer one datagram.  0, or -1 when none is waiting. */
static int
handle_one(struct worker *w)
{
	struct sockaddr_storage	 from;
	socklen_t		 fromlen = sizeof(from);
	unsigned char		 key[16];
	char			 peer[SOCK_PEER_MAX];
	size_t			 keylen;
	ssize_t			 n;

	n = recvfrom(w->fd, w->dgram, sizeof(w->dgram) - 1, 0,
	    (struct sockaddr *)&from, &fromlen);
	if (n == -1)
		return errno == EINTR ? 0 : -1;
	count(&w->sb->c->udp_in);
	keylen = sock_addr_key((struct sockaddr *)&from, key);
	if (must_ignore(w, (struct sockaddr *)&from, (size_t)n) ||
	    !ratelimit_allow(&w->rl, key, keylen, clock_us())) {
		count(&w->sb->c->udp_dropped);
		return 0;
	}
	sock_peer_str((struct sockaddr *)&from, peer);
	if (answer(w, (size_t)n, peer) == -1)
		return 0;
	if (sendto(w->fd, buf_head(&w->out), buf_used(&w->out), 0,
	    (struct sockaddr *)&from, fromlen) != -1)
		count(&w->sb->c->udp_out);
	return 0;
}

/* 1 to go on, 0 on SIGTERM. */
static int
handle_signals(void)
{
	int	 signo;

	while ((signo = sig_next()) != 0) {
		if (signo == SIGTERM)
			return 0;
		if (signo == SIGHUP && log_reopen() == -1)
			log_event(LOG_LVL_WARN, "log-reopen", "error=\"%s\"",
			    strerror(errno));
	}
	return 1;
}

int
udp_worker_run(int fd, const struct config *cfg, struct scoreboard *sb)
{
	static const int	 sigs[] = { SIGTERM, SIGHUP, 0 };
	struct worker		*w;
	struct pollfd		 pfd[2];
	pid_t			 listener = getppid();
	int			 i, r, running = 1;

	/*
	 * On the heap: not on the stack (a 64 KiB datagram buffer), nor in
	 * static storage, where it would sit between the globals every forkd
	 * process writes and spread them over more pages, each one more
	 * copy-on-write fault for a TCP child.
	 */
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		log_event(LOG_LVL_WARN, "udp-error", "error=\"%s\"",
		    strerror(errno));
		return 1;
	}
	w->fd = fd;
	w->port = sock_local_port(fd);
	w->cfg = cfg;
	w->sb = sb;
	(void)signal(SIGINT, SIG_IGN);
	proctitle_set("udp worker port %d", w->port);
	if (sig_pipe_open(sigs) == -1 ||
	    ratelimit_init(&w->rl, RL_ENTRIES, cfg->udp_rate) == -1) {
		log_event(LOG_LVL_WARN, "udp-error", "error=\"%s\"",
		    strerror(errno));
		free(w);
		return 1;
	}
	pfd[0].fd = sig_pipe_fd();
	pfd[1].fd = fd;
	pfd[0].events = pfd[1].events = POLLIN;
	while (running) {
		if ((r = poll(pfd, 2, PARENT_CHECK_MS)) == -1 && errno != EINTR)
			break;
		/*
		 * A listener killed with SIGKILL cannot stop us: without this
		 * check we would hold the UDP port for ever, an orphan.
		 */
		if (getppid() != listener) {
			log_event(LOG_LVL_WARN, "udp-stop", "reason=listener-gone");
			break;
		}
		if (r <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			running = handle_signals();
		for (i = 0; running && i < BATCH; i++)
			if (handle_one(w) == -1)
				break;
	}
	ratelimit_free(&w->rl);
	reply_free(&w->reply);
	buf_free(&w->out);
	free(w);
	return 0;
}
