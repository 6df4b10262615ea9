/*
 * listener: the parent's loop.  Signal handlers only write to the
 * self-pipe; everything happens here, in order: signals (reap, stop,
 * reopen), then new connections, then timers (UDP worker restart, the
 * end of an EMFILE pause, the end of the grace period).  --model picks
 * who serves a connection: a child forked for it (fork), the listener
 * itself (iterative), or workers forked at start that accept on their
 * own while the listener only keeps them alive (prefork).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/filter.h>
#endif

#include "clock.h"
#include "exitcode.h"
#include "fds.h"
#include "listener.h"
#include "log.h"
#include "proctitle.h"
#include "netio.h"
#include "proto.h"
#include "reaper.h"
#include "session.h"
#include "sig.h"
#include "udp_worker.h"
#include "worker.h"

#define ACCEPT_BATCH	32	/* accepts per wake-up before signals */
#define EMFILE_PAUSE_MS	100	/* out of descriptors: stop accepting so long */
#define UDP_DELAY_MIN	100	/* UDP worker restart back-off, ms */
#define UDP_DELAY_MAX	5000
#define UDP_STABLE_MS	10000	/* a worker this old resets the back-off */
#define KILL_SWEEP_MS	100	/* after SIGKILL, reap at least this often */

enum phase { RUNNING, DRAINING, KILLING };

struct udp_sup {
	pid_t		 pid;		/* 0: not running */
	int64_t		 started_ms;
	int64_t		 restart_ms;	/* 0: no restart pending */
	int		 delay_ms;
};

struct listener {
	const struct config	*cfg;
	int			 tcp_fd;
	int			 udp_fd;
	struct scoreboard	*sb;
	int64_t			 paused_until;	/* EMFILE back-off */
	int			 starved;	/* out of fds since last accept */
	enum phase		 phase;
	int64_t			 grace_end;
	int			 waiting;	/* --when-full wait, at the cap */
	struct udp_sup		 udp;
};

static void
bump(_Atomic uint64_t *counter)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter,
	    memory_order_relaxed) + 1, memory_order_relaxed);
}

static int
children(const struct listener *l)
{
	return atomic_load_explicit(&l->sb->c->children, memory_order_relaxed);
}

/* ---- tcpserver's log grammar (--log-format tcpserver) ------------- */

static int
tcpserver_style(void)
{
	return log_style() == LOG_STYLE_TCPSERVER;
}

/* "status: 3/256" after every change of the child count. */
static void
tcpserver_status(const struct listener *l)
{
	if (tcpserver_style())
		log_text(LOG_LVL_INFO, "status: %d/%d", children(l),
		    l->cfg->max_children);
}

/*
 * "pid P from IP" and "ok P 0:LOCALIP:PORT :REMOTEIP::PORT", as
 * tcpserver -HRl0 prints them (no DNS lookups, local name "0").
 */
static void
tcpserver_fork(int fd, const struct sockaddr *peer, pid_t pid)
{
	struct sockaddr_storage	 local;
	socklen_t		 len = sizeof(local);
	char			 lip[SOCK_PEER_MAX], rip[SOCK_PEER_MAX];

	sock_ip_str(peer, rip);
	log_text(LOG_LVL_INFO, "pid %ld from %s", (long)pid, rip);
	if (getsockname(fd, (struct sockaddr *)&local, &len) == -1)
		return;
	sock_ip_str((struct sockaddr *)&local, lip);
	log_text(LOG_LVL_INFO, "ok %ld 0:%s:%d :%s::%d", (long)pid, lip,
	    sock_addr_port((struct sockaddr *)&local), rip,
	    sock_addr_port(peer));
}

/*
 * "end P status N", decoded where tcpserver prints the raw wait status
 * (768 for exit 3): the exit code, or "signal N NAME".
 */
static void
tcpserver_end(pid_t pid, int st)
{
	char	 name[16];

	if (WIFSIGNALED(st)) {
		exitcode_signame(WTERMSIG(st), name, sizeof(name));
		log_text(LOG_LVL_INFO, "end %ld signal %d %s", (long)pid,
		    WTERMSIG(st), name);
	} else
		log_text(LOG_LVL_INFO, "end %ld status %d", (long)pid,
		    WEXITSTATUS(st));
}

/* What ps shows for the listener: its phase and live children. */
static void
title(const struct listener *l)
{
	proctitle_set("listener%s %d/%d", l->phase == RUNNING ? "" :
	    " draining", children(l), l->cfg->max_children);
}

/* ---- the UDP worker ---------------------------------------------- */

/* Schedule the next worker start, doubling the delay while it keeps dying. */
static void
udp_schedule(struct listener *l, int64_t now)
{
	if (now - l->udp.started_ms >= UDP_STABLE_MS || l->udp.delay_ms == 0)
		l->udp.delay_ms = UDP_DELAY_MIN;
	else if ((l->udp.delay_ms *= 2) > UDP_DELAY_MAX)
		l->udp.delay_ms = UDP_DELAY_MAX;
	l->udp.restart_ms = now + l->udp.delay_ms;
	log_event(LOG_LVL_WARN, "udp-restart", "in=%.3fs",
	    (double)l->udp.delay_ms / 1000);
}

static void
udp_spawn(struct listener *l)
{
	sigset_t	 old;
	pid_t		 pid;

	l->udp.restart_ms = 0;
	(void)sig_block_all(&old);
	if ((pid = fork()) == 0) {
		sig_pipe_close();
		(void)close(l->tcp_fd);
		_exit(udp_worker_run(l->udp_fd, l->cfg, l->sb));
	}
	(void)sig_restore(&old);
	if (pid == -1) {
		log_event(LOG_LVL_WARN, "udp-exit", "error=\"fork: %s\"",
		    strerror(errno));
		l->udp.started_ms = clock_ms();	/* a failed start counts as a death */
		udp_schedule(l, l->udp.started_ms);
		return;
	}
	l->udp.pid = pid;
	l->udp.started_ms = clock_ms();
	atomic_store(&l->sb->c->udp_pid, pid);
	log_event(LOG_LVL_INFO, "udp-spawn", "pid=%ld port=%d", (long)pid,
	    sock_local_port(l->udp_fd));
}

/* The worker died: log it and schedule a restart with back-off. */
static void
udp_exited(struct listener *l, int st)
{
	char	 why[64];
	int64_t	 now = clock_ms();

	exitcode_describe(st, why, sizeof(why));
	if (WIFEXITED(st))	/* the worker's codes are not session codes */
		snprintf(why, sizeof(why), "status=exit:%d", WEXITSTATUS(st));
	log_event(l->phase == RUNNING ? LOG_LVL_WARN : LOG_LVL_INFO,
	    "udp-exit", "pid=%ld %s lived=%.3fs", (long)l->udp.pid, why,
	    (double)(now - l->udp.started_ms) / 1000);
	l->udp.pid = 0;
	atomic_store(&l->sb->c->udp_pid, 0);
	if (l->phase == RUNNING)
		udp_schedule(l, now);
}

/* ---- children ---------------------------------------------------- */

/*
 * The fd audit (-vv): a child must hold exactly stdin, stdout, stderr,
 * its connection and the log file, if there is one.
 */
static void
trace_fds(int conn)
{
	char	 held[256];

	if (!log_enabled(LOG_LVL_TRACE) || fds_list(held, sizeof(held)) < 0)
		return;
	log_event(LOG_LVL_TRACE, "trace", "step=fds held=%s conn=%d log=%d",
	    held, conn, log_fd() != -1 ? log_fd() : 2);
}

/* In the child: drop the listener's state, serve, and _exit. */
static void
child_main(struct listener *l, int fd, struct sb_slot *slot)
{
	log_event(LOG_LVL_TRACE, "trace", "step=fork side=child "
	    "closed=%d,%d what=self-pipe", sig_pipe_fd(), sig_pipe_wfd());
	if (sig_child_start(SIGTERM, session_ignored_signals) == -1)
		_exit(SESSION_FAILED);
	(void)close(l->tcp_fd);
	log_event(LOG_LVL_TRACE, "trace", "step=fork side=child "
	    "closed=%d what=listening-socket", l->tcp_fd);
	if (l->udp_fd != -1) {
		(void)close(l->udp_fd);
		log_event(LOG_LVL_TRACE, "trace", "step=fork side=child "
		    "closed=%d what=udp-socket", l->udp_fd);
	}
	trace_fds(fd);
	/*
	 * _exit, not exit: the parent's atexit handlers and stdio buffers
	 * belong to the parent and must not run or flush twice.
	 */
	_exit(session_run(fd, l->cfg, l->sb, slot));
}

/* Fork a child for fd, or refuse if fork fails.  fd is closed here. */
static void
spawn_child(struct listener *l, int fd, const struct sockaddr *peer,
    struct sb_slot *slot)
{
	sigset_t	 old;
	pid_t		 pid;

	(void)sig_block_all(&old);
	if ((pid = fork()) == 0)
		child_main(l, fd, slot);
	(void)sig_restore(&old);
	if (pid == -1) {
		bump(&l->sb->c->fork_failed);
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=fork-failed error=\"%s\"",
		    (unsigned long long)slot->conn, slot->peer,
		    strerror(errno));
		scoreboard_release(l->sb, slot);
		session_refuse(fd, PROTO_BUSY);
		return;
	}
	scoreboard_publish(l->sb, slot, pid);
	title(l);
	if (tcpserver_style()) {
		tcpserver_status(l);
		tcpserver_fork(fd, peer, pid);
	} else
		log_event(LOG_LVL_INFO, "fork", "conn=%llu child=%ld",
		    (unsigned long long)slot->conn, (long)pid);
	/* The child has its own copy; the parent's would keep it open. */
	(void)close(fd);
	log_event(LOG_LVL_TRACE, "trace", "step=fork side=parent child=%ld "
	    "closed=%d what=connected-socket", (long)pid, fd);
}

/* --model prefork: fork one more worker, with its slot.  0 or -1. */
static int
spawn_worker(struct listener *l)
{
	struct sb_slot	*slot;
	sigset_t	 old;
	pid_t		 pid;

	if ((slot = scoreboard_alloc(l->sb)) == NULL)
		return -1;
	snprintf(slot->peer, sizeof(slot->peer), "-");
	slot->conn = 0;
	slot->start_ms = clock_ms();
	(void)sig_block_all(&old);
	if ((pid = fork()) == 0) {
		if (l->udp_fd != -1)
			(void)close(l->udp_fd);
		worker_prefork_main(l->tcp_fd, l->cfg, l->sb, slot);
	}
	(void)sig_restore(&old);
	if (pid == -1) {
		log_event(LOG_LVL_WARN, "worker-error", "error=\"fork: %s\"",
		    strerror(errno));
		scoreboard_release(l->sb, slot);
		return -1;
	}
	scoreboard_publish(l->sb, slot, pid);
	log_event(LOG_LVL_INFO, "fork", "worker=%ld", (long)pid);
	title(l);
	return 0;
}

/* Keep --workers workers while running; retried on every loop turn. */
static void
fill_workers(struct listener *l)
{
	if (l->paused_until > clock_ms())
		return;
	while (l->cfg->model == MODEL_PREFORK && l->phase == RUNNING &&
	    children(l) < l->cfg->workers)
		if (spawn_worker(l) == -1) {
			l->paused_until = clock_ms() + EMFILE_PAUSE_MS;
			return;
		}
}

/*
 * --model iterative: serve fd here and now; nobody else is served
 * meanwhile.  SIGTERM and SIGINT raise the session's stop flag as well
 * as waking the loop (sig_stop_catch), and are blocked around the
 * session so that they arrive only while it waits, as in a child.  A
 * stop that came since the accept is answered at once.
 */
static void
serve_here(struct listener *l, int fd, const struct sockaddr *peer,
    struct sb_slot *slot)
{
	sigset_t	 old;
	int		 blocked;

	scoreboard_publish(l->sb, slot, getpid());
	blocked = sig_flag_block(&old) == 0;
	if (!blocked || sig_flag_raised()) {
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=shutdown", (unsigned long long)slot->conn,
		    slot->peer);
		session_refuse(fd, PROTO_SHUTDOWN);
	} else if (worker_claim(l->sb, slot, fd, peer, slot->conn, 0) == 0)
		worker_serve(fd, l->cfg, l->sb, slot);
	if (blocked)
		(void)sig_restore(&old);
	scoreboard_release(l->sb, slot);
	title(l);
}

/* One child has been reaped (by whichever --reap strategy): account. */
static void
child_exited(pid_t pid, int st, void *arg)
{
	struct listener	*l = arg;
	struct sb_slot	*slot;
	char		 why[64];

	if (pid == l->udp.pid) {
		udp_exited(l, st);
		return;
	}
	if ((slot = scoreboard_find(l->sb, pid)) == NULL)
		return;
	bump(WIFSIGNALED(st) ? &l->sb->c->reaped_signal :
	    &l->sb->c->reaped_exit);
	exitcode_describe(st, why, sizeof(why));
	scoreboard_release(l->sb, slot);
	title(l);
	if (tcpserver_style()) {
		tcpserver_end(pid, st);
		tcpserver_status(l);
		return;
	}
	log_event(LOG_LVL_INFO, "reap", "conn=%llu child=%ld %s "
	    "duration=%.3fs children=%d/%d", (unsigned long long)slot->conn,
	    (long)pid, why, (double)(clock_ms() - slot->start_ms) / 1000,
	    children(l), l->cfg->max_children);
}

/*
 * A stopped worker answers nobody and never dies, so it would never be
 * restarted: treat it as dead.  SIGKILL works on a stopped process, and
 * its reap then takes the usual restart path.
 */
static void
udp_check_stopped(struct listener *l)
{
	int	 st;

	if (l->udp.pid == 0 || waitpid(l->udp.pid, &st, WNOHANG | WUNTRACED)
	    != l->udp.pid || !WIFSTOPPED(st))
		return;
	log_event(LOG_LVL_WARN, "udp-stopped", "pid=%ld signal=%d action=kill",
	    (long)l->udp.pid, WSTOPSIG(st));
	(void)kill(l->udp.pid, SIGKILL);
}

/*
 * A SIGCHLD woke us: collect what has exited.  Once the shutdown kills,
 * sweep too, so that even --reap wait-bug leaves no zombie behind.
 */
static void
reap(struct listener *l)
{
	reaper_collect(child_exited, l);
	udp_check_stopped(l);
	if (l->phase == KILLING)
		reaper_sweep(child_exited, l);
}

/* ---- accepting --------------------------------------------------- */

/*
 * Count an accepted connection and give it its id.  Atomic: prefork
 * workers accept too, and the ids come from the one counter.
 */
static uint64_t
next_conn(struct listener *l)
{
	return atomic_fetch_add(&l->sb->c->accepted, 1) + 1;
}

static int
at_cap(const struct listener *l)
{
	return children(l) >= l->cfg->max_children;
}

/*
 * Decide the fate of one accepted connection: refuse it at a cap,
 * otherwise give it a slot and a child.
 */
static void
admit(struct listener *l, int fd, const struct sockaddr *peer)
{
	struct sb_slot	*slot;
	unsigned char	 key[16];
	char		 peerstr[SOCK_PEER_MAX];
	size_t		 keylen = sock_addr_key(peer, key);
	uint64_t	 conn = next_conn(l);

	sock_peer_str(peer, peerstr);
	if (!tcpserver_style())	/* tcpserver says nothing until the fork */
		log_event(LOG_LVL_INFO, "accept", "conn=%llu peer=%s "
		    "children=%d/%d", (unsigned long long)conn, peerstr,
		    children(l), l->cfg->max_children);
	if (at_cap(l) || (slot = scoreboard_alloc(l->sb)) == NULL) {
		bump(&l->sb->c->refused_busy);
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=busy children=%d/%d", (unsigned long long)conn,
		    peerstr, children(l), l->cfg->max_children);
		session_refuse(fd, PROTO_BUSY);
		return;
	}
	if (l->cfg->per_ip > 0 &&
	    scoreboard_count_key(l->sb, key, keylen) >= l->cfg->per_ip) {
		scoreboard_release(l->sb, slot);
		bump(&l->sb->c->refused_per_ip);
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=per-ip limit=%d", (unsigned long long)conn,
		    peerstr, l->cfg->per_ip);
		session_refuse(fd, PROTO_BUSY);
		return;
	}
	slot->conn = conn;
	slot->start_ms = clock_ms();
	memcpy(slot->peer, peerstr, sizeof(slot->peer));
	if (l->cfg->model == MODEL_ITERATIVE) {
		serve_here(l, fd, peer, slot);
		return;
	}
	memcpy(slot->key, key, keylen);
	slot->keylen = (unsigned char)keylen;
	spawn_child(l, fd, peer, slot);
}

/*
 * accept(2), then close-on-exec at once.  (accept4 would save the fcntl,
 * but it is not POSIX; with one thread nothing can exec in between.)
 */
static int
accept_cloexec(int lfd, struct sockaddr_storage *ss)
{
	socklen_t	 len = sizeof(*ss);
	int		 fd;

	if ((fd = accept(lfd, (struct sockaddr *)ss, &len)) != -1 &&
	    sock_cloexec(fd) == -1) {
		(void)close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * An accept error is never fatal.  Out of descriptors: stop polling the
 * listener for a moment (polling it would spin, since the pending
 * connection stays pending).  Returns 0 to stop this batch.
 */
static int
accept_failed(struct listener *l)
{
	switch (errno) {
	case EINTR:
	case ECONNABORTED:
	case EPROTO:
		return 1;
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
		return 0;
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		/* Logged once per episode, not once per pause. */
		if (!l->starved)
			log_event(LOG_LVL_WARN, "accept-error", "error=\"%s\" "
			    "pause=%.3fs", strerror(errno),
			    (double)EMFILE_PAUSE_MS / 1000);
		l->starved = 1;
		l->paused_until = clock_ms() + EMFILE_PAUSE_MS;
		return 0;
	default:
		log_event(LOG_LVL_WARN, "accept-error", "error=\"%s\"",
		    strerror(errno));
		return 0;
	}
}

/* Whether the listening socket belongs in the poll set right now. */
static int
accepting(const struct listener *l)
{
	if (l->phase != RUNNING || l->paused_until > clock_ms() ||
	    l->cfg->model == MODEL_PREFORK)	/* the workers accept */
		return 0;
	/* --when-full wait: leave clients in the backlog until a reap. */
	return !(l->cfg->when_full == WHEN_FULL_WAIT && at_cap(l));
}

/*
 * --when-full wait: reaching the cap and leaving it are logged, once each
 * (the refusals of --when-full refuse are logged one by one instead).
 */
static void
note_wait(struct listener *l)
{
	/* (Prefork workers wait in accept themselves: nothing to log.) */
	int	 full = l->cfg->when_full == WHEN_FULL_WAIT && at_cap(l) &&
	    l->phase == RUNNING && l->cfg->model != MODEL_PREFORK;

	if (full == l->waiting)
		return;
	l->waiting = full;
	if (l->phase != RUNNING)	/* draining: nothing resumes */
		return;
	if (full)
		log_event(LOG_LVL_WARN, "pause", "reason=busy children=%d/%d",
		    children(l), l->cfg->max_children);
	else
		log_event(LOG_LVL_INFO, "resume", "children=%d/%d",
		    children(l), l->cfg->max_children);
}

static void
accept_batch(struct listener *l)
{
	struct sockaddr_storage	 ss;
	int			 i, fd;

	for (i = 0; i < ACCEPT_BATCH && accepting(l); i++) {
		if ((fd = accept_cloexec(l->tcp_fd, &ss)) == -1) {
			if (!accept_failed(l))
				return;
			continue;
		}
		if (l->starved)
			log_event(LOG_LVL_INFO, "accept-resume", "fd=%d", fd);
		l->starved = 0;
		log_event(LOG_LVL_TRACE, "trace", "step=accept listen_fd=%d "
		    "fd=%d", l->tcp_fd, fd);
		admit(l, fd, (struct sockaddr *)&ss);
		/* A session served here took time: signals first. */
		if (l->cfg->model == MODEL_ITERATIVE)
			return;
	}
}

/* ---- shutdown ---------------------------------------------------- */

static void
signal_children(struct listener *l, int signo)
{
	pid_t	 pid;
	int	 i;

	for (i = 0; i < l->sb->nslots; i++)
		if ((pid = atomic_load(&l->sb->slots[i].pid)) != 0)
			(void)kill(pid, signo);
	if (l->udp.pid != 0)
		(void)kill(l->udp.pid, signo);
}

/*
 * No new handshakes from now on (Linux: a socket filter that drops every
 * packet, so SYNs go unanswered).  Without it, a client whose handshake
 * completed between the last accept() and the close() would be reset
 * without a word; with it, such a client retries its SYN and finds the
 * port closed: "connection refused".  (A handshake whose last ACK comes
 * after the filter is still cut: microseconds.)  Elsewhere the window
 * stays open.
 */
static void
refuse_new_handshakes(int fd)
{
#ifdef __linux__
	struct sock_filter	 drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog	 prog = { 1, &drop };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog)) == -1)
		log_event(LOG_LVL_DEBUG, "shutdown", "filter-error=\"%s\"",
		    strerror(errno));
#else
	(void)fd;
#endif
}

/*
 * Stop accepting: answer whoever is already in the backlog, then close
 * the listening socket so the port is free at once.
 */
static void
close_listener(struct listener *l)
{
	struct sockaddr_storage	 ss;
	char			 peer[SOCK_PEER_MAX];
	int			 fd;

	refuse_new_handshakes(l->tcp_fd);
	while ((fd = accept_cloexec(l->tcp_fd, &ss)) != -1) {
		sock_peer_str((struct sockaddr *)&ss, peer);
		log_event(LOG_LVL_WARN, "refuse", "conn=%llu peer=%s "
		    "reason=shutdown", (unsigned long long)next_conn(l), peer);
		session_refuse(fd, PROTO_SHUTDOWN);
	}
	/*
	 * Prefork workers share the socket: shutdown() takes it out of
	 * LISTEN for all of them at once (Linux), where close() alone would
	 * leave it listening until the last of them exits.
	 */
	(void)shutdown(l->tcp_fd, SHUT_RDWR);
	(void)close(l->tcp_fd);
	l->tcp_fd = -1;
}

static void
begin_drain(struct listener *l)
{
	l->phase = DRAINING;
	l->grace_end = clock_ms() + l->cfg->grace_ms;
	l->udp.restart_ms = 0;
	log_event(LOG_LVL_INFO, "shutdown", "phase=drain children=%d "
	    "grace=%.3fs", children(l), (double)l->cfg->grace_ms / 1000);
	close_listener(l);
	signal_children(l, SIGTERM);
	title(l);
}

static void
begin_kill(struct listener *l)
{
	l->phase = KILLING;
	log_event(LOG_LVL_WARN, "shutdown", "phase=kill children=%d",
	    children(l));
	signal_children(l, SIGKILL);
}

/* ---- the loop ---------------------------------------------------- */

static void
handle_signals(struct listener *l)
{
	int	 signo;

	while ((signo = sig_next()) != 0) {
		if (log_enabled(LOG_LVL_TRACE)) {
			char	 name[16];

			exitcode_signame(signo, name, sizeof(name));
			log_event(LOG_LVL_TRACE, "trace", "step=signal sig=%s",
			    name);
		}
		switch (signo) {
		case SIGCHLD:
			reap(l);
			break;
		case SIGINT:
		case SIGTERM:
			/* A second Ctrl-C does not wait for the grace period. */
			if (l->phase == RUNNING)
				begin_drain(l);
			else if (l->phase == DRAINING)
				begin_kill(l);
			break;
		case SIGHUP:
			if (log_reopen() == -1)
				log_event(LOG_LVL_WARN, "log-reopen",
				    "error=\"%s\"", strerror(errno));
			/* Prefork workers reopen it between sessions. */
			atomic_fetch_add(&l->sb->c->log_generation, 1);
			if (l->udp.pid != 0)
				(void)kill(l->udp.pid, SIGHUP);
			break;
		}
	}
}

/* poll() timeout: until the nearest timer, or forever. */
static int
next_timeout(const struct listener *l)
{
	int64_t	 t = INT64_MAX;

	if (l->udp.restart_ms != 0)
		t = l->udp.restart_ms;
	if (l->paused_until != 0 && l->paused_until < t)
		t = l->paused_until;
	if (l->phase == DRAINING && l->grace_end < t)
		t = l->grace_end;
	if (l->phase == KILLING)	/* sweep until every child is gone */
		return KILL_SWEEP_MS;
	return t == INT64_MAX ? -1 : clock_until(t);
}

static void
run_timers(struct listener *l)
{
	int64_t	 now = clock_ms();

	if (l->udp.restart_ms != 0 && now >= l->udp.restart_ms)
		udp_spawn(l);
	if (l->paused_until != 0 && now >= l->paused_until)
		l->paused_until = 0;
	if (l->phase == DRAINING && now >= l->grace_end)
		begin_kill(l);
	if (l->phase == KILLING)
		reaper_sweep(child_exited, l);
}

static int
finished(const struct listener *l)
{
	return l->phase != RUNNING && children(l) == 0 && l->udp.pid == 0;
}

int
listener_run(const struct config *cfg, int tcp_fd, int udp_fd,
    struct scoreboard *sb)
{
	static const int	 sigs[] = { SIGINT, SIGTERM, SIGHUP, 0 };
	struct listener		 l;
	struct pollfd		 pfd[2];
	int			 rc;

	memset(&l, 0, sizeof(l));
	l.cfg = cfg;
	l.tcp_fd = tcp_fd;
	l.udp_fd = udp_fd;
	l.sb = sb;
	atomic_store(&sb->c->listener_pid, getpid());
	if (sig_pipe_open(sigs) == -1 ||
	    (cfg->model == MODEL_ITERATIVE && (sig_stop_catch(SIGTERM) == -1 ||
	    sig_stop_catch(SIGINT) == -1)) ||
	    reaper_init(cfg->reap, cfg->max_children + 2) == -1) {
		log_event(LOG_LVL_WARN, "stop", "error=\"signals: %s\"",
		    strerror(errno));
		return 1;
	}
	title(&l);
	tcpserver_status(&l);
	if (udp_fd != -1)
		udp_spawn(&l);
	while (!finished(&l)) {
		fill_workers(&l);
		note_wait(&l);
		pfd[0].fd = sig_pipe_fd();
		pfd[1].fd = accepting(&l) ? l.tcp_fd : -1;
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		reaper_wait_begin();
		rc = poll(pfd, 2, next_timeout(&l));
		reaper_wait_end();
		if (rc == -1 && errno != EINTR) {
			log_event(LOG_LVL_WARN, "poll-error", "error=\"%s\"",
			    strerror(errno));
			(void)sleep(1);
		}
		if (pfd[0].revents & POLLIN)
			handle_signals(&l);
		if (pfd[1].fd != -1 && (pfd[1].revents & POLLIN))
			accept_batch(&l);
		run_timers(&l);
	}
	log_event(LOG_LVL_INFO, "stop", "accepted=%llu reaped_exit=%llu "
	    "reaped_signal=%llu", (unsigned long long)sb->c->accepted,
	    (unsigned long long)sb->c->reaped_exit,
	    (unsigned long long)sb->c->reaped_signal);
	sig_pipe_close();
	return 0;
}
