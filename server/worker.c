/*
 * worker: one connection after another in the same process, for the
 * models without a child per connection (UNP ch. 30).  A prefork worker
 * is a child made at start that calls accept() itself on the shared
 * listening socket; the iterative listener serves each connection it
 * accepts in place.  Both end a session with a "done" line where the
 * fork model has its reap line, and both stop at SIGTERM/SIGINT the way
 * a session child does: replies in hand go out, idle clients hear
 * "-ERR server shutting down".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/epoll.h>
#endif

#include "clock.h"
#include "exitcode.h"
#include "log.h"
#include "proctitle.h"
#include "proto.h"
#include "session.h"
#include "sig.h"
#include "worker.h"

#define ACCEPT_ERROR_PAUSE_MS	100	/* out of descriptors: wait so long */
#define PARENT_CHECK_MS		1000	/* how often an idle worker looks */

/*
 * A prefork worker lives across log rotations: the listener counts its
 * SIGHUPs in the scoreboard, and the worker reopens the log when the
 * count has moved, before it logs again.
 */
static void
follow_log_rotation(struct scoreboard *sb)
{
	static unsigned	 seen;
	static int	 started;
	unsigned	 now = atomic_load(&sb->c->log_generation);

	if (started && now != seen)
		(void)log_reopen();
	started = 1;
	seen = now;
}

/* Between connections a worker's slot shows no session: state idle. */
static void
slot_idle(struct sb_slot *slot)
{
	slot->conn = 0;
	slot->start_ms = clock_ms();
	slot->keylen = 0;
	snprintf(slot->peer, sizeof(slot->peer), "-");
	atomic_store(&slot->requests, 0);
	atomic_store(&slot->bytes_in, 0);
	atomic_store(&slot->bytes_out, 0);
	atomic_store(&slot->state, SB_IDLE);
}

int
worker_claim(struct scoreboard *sb, struct sb_slot *slot, int fd,
    const struct sockaddr *peer, uint64_t conn, int per_ip)
{
	unsigned char	 key[16];
	size_t		 keylen = sock_addr_key(peer, key);

	/* Counted before this slot takes the key, as the listener does. */
	if (per_ip > 0 && scoreboard_count_key(sb, key, keylen) >= per_ip) {
		atomic_fetch_add(&sb->c->refused_per_ip, 1);
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=per-ip limit=%d", (unsigned long long)conn,
		    slot->peer, per_ip);
		session_refuse(fd, PROTO_BUSY);
		slot_idle(slot);
		return -1;
	}
	slot->conn = conn;
	slot->start_ms = clock_ms();
	memcpy(slot->key, key, keylen);
	slot->keylen = (unsigned char)keylen;
	atomic_store(&slot->requests, 0);
	atomic_store(&slot->bytes_in, 0);
	atomic_store(&slot->bytes_out, 0);
	return 0;
}

void
worker_serve(int fd, const struct config *cfg, struct scoreboard *sb,
    struct sb_slot *slot)
{
	char	 why[64];
	int	 end;

	end = session_run(fd, cfg, sb, slot);
	follow_log_rotation(sb);
	exitcode_describe_end(end, why, sizeof(why));
	log_event(LOG_LVL_INFO, "done", "conn=%llu %s duration=%.3fs",
	    (unsigned long long)slot->conn, why,
	    (double)(clock_ms() - slot->start_ms) / 1000);
	/* Idle again: no key, so --per-ip no longer counts it. */
	slot_idle(slot);
}

/*
 * The thundering herd (UNP 30.7): every idle worker waits on the same
 * listening socket, and a plain wait wakes them all for each connection,
 * one to accept it and the others to find EAGAIN.  On Linux each worker
 * waits through its own epoll set with EPOLLEXCLUSIVE, so the kernel
 * wakes one; elsewhere, pselect() and the herd.
 */
struct waiter {
	int	 lfd;
	int	 epfd;		/* -1: pselect */
};

static void
waiter_init(struct waiter *w, int lfd)
{
	w->lfd = lfd;
	w->epfd = -1;
#if defined(__linux__) && defined(EPOLLEXCLUSIVE)
	{
		struct epoll_event	 ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLEXCLUSIVE;
		if ((w->epfd = epoll_create1(EPOLL_CLOEXEC)) != -1 &&
		    epoll_ctl(w->epfd, EPOLL_CTL_ADD, lfd, &ev) == -1) {
			(void)close(w->epfd);
			w->epfd = -1;
		}
	}
#endif
}

/* As sig_wait_fd() on the listening socket: 1 readable, 0, -1. */
static int
waiter_wait(const struct waiter *w, int timeout_ms)
{
#ifdef __linux__
	struct epoll_event	 ev;
	sigset_t		 mask;
	int			 r;

	if (w->epfd != -1) {
		sig_flag_wait_mask(&mask);
		if ((r = epoll_pwait(w->epfd, &ev, 1, timeout_ms, &mask)) == -1)
			return -1;
		return r > 0 ? 1 : 0;
	}
#endif
	return sig_wait_fd(w->lfd, timeout_ms);
}

/*
 * Wait for a connection and accept it; -1 when there is none (yet).  The
 * wait ends each second for a look at the listener: a listener killed
 * with SIGKILL cannot stop its workers, which would otherwise hold the
 * listening socket, and the port, for ever.
 */
static int
accept_one(const struct waiter *w, pid_t listener,
    struct sockaddr_storage *ss)
{
	socklen_t	 len = sizeof(*ss);
	int		 fd;

	/* A stop that came before the wait has already raised the flag. */
	if (sig_flag_raised() || waiter_wait(w, PARENT_CHECK_MS) != 1) {
		if (getppid() != listener) {
			log_event(LOG_LVL_WARN, "worker-stop",
			    "reason=listener-gone");
			_exit(SESSION_CLOSED);
		}
		return -1;
	}
	/* Another worker may have taken it: EAGAIN, wait again. */
	if ((fd = accept(w->lfd, (struct sockaddr *)ss, &len)) == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			log_event(LOG_LVL_WARN, "accept-error", "error=\"%s\" "
			    "pause=%.3fs", strerror(errno),
			    (double)ACCEPT_ERROR_PAUSE_MS / 1000);
			(void)sig_wait_fd(-1, ACCEPT_ERROR_PAUSE_MS);
		}
		return -1;
	}
	if (sock_cloexec(fd) == -1) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

_Noreturn void
worker_prefork_main(int lfd, const struct config *cfg,
    struct scoreboard *sb, struct sb_slot *slot)
{
	struct sockaddr_storage	 ss;
	struct waiter		 w;
	uint64_t		 conn;
	pid_t			 listener = getppid();
	int			 fd;

	if (sig_child_start(SIGTERM, session_ignored_signals) == -1)
		_exit(SESSION_FAILED);
	slot_idle(slot);
	follow_log_rotation(sb);
	waiter_init(&w, lfd);
	while (!sig_flag_raised()) {
		proctitle_set("worker idle");
		if ((fd = accept_one(&w, listener, &ss)) == -1)
			continue;
		conn = atomic_fetch_add(&sb->c->accepted, 1) + 1;
		follow_log_rotation(sb);
		sock_peer_str((struct sockaddr *)&ss, slot->peer);
		log_event(LOG_LVL_INFO, "accept", "conn=%llu peer=%s",
		    (unsigned long long)conn, slot->peer);
		if (worker_claim(sb, slot, fd, (struct sockaddr *)&ss, conn,
		    cfg->per_ip) == 0)
			worker_serve(fd, cfg, sb, slot);
	}
	/* _exit: the listener's stdio and atexit handlers are not ours. */
	_exit(SESSION_CLOSED);
}
