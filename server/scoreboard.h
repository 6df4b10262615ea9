/*
 * scoreboard: the shared memory every forkd process writes its state to
 * and STATS reads (Apache's scoreboard idea).  One anonymous MAP_SHARED
 * region created before the first fork: global counters plus one slot per
 * possible child.  Each field has one writer: the listener fills a slot's
 * identity (pid, conn, peer, start) and frees it at reap; the child owns
 * its state and counters; the UDP worker owns the udp_* counters.
 */
#ifndef SCOREBOARD_H
#define SCOREBOARD_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "reply.h"
#include "sock.h"

enum sb_state {
	SB_FREE = 0,
	SB_STARTING,
	SB_READING,
	SB_WORKING,
	SB_WRITING,
	SB_SLEEPING,
	SB_CLOSING,
	SB_IDLE		/* a prefork worker between connections */
};

struct sb_slot {
	_Atomic pid_t		pid;	/* listener; 0 = free */
	uint64_t		conn;	/* listener */
	int64_t			start_ms; /* listener, monotonic */
	char			peer[SOCK_PEER_MAX]; /* listener */
	unsigned char		key[16]; /* listener: per-address key */
	unsigned char		keylen;
	_Atomic int		state;	/* child */
	_Atomic uint64_t	requests; /* child */
	_Atomic uint64_t	bytes_in; /* child */
	_Atomic uint64_t	bytes_out; /* child */
};

struct sb_counters {
	_Atomic pid_t		listener_pid;
	int64_t			start_ms;
	_Atomic int		children;
	int			max_children;
	_Atomic int		peak_children;
	_Atomic uint64_t	accepted;
	_Atomic uint64_t	refused_busy;
	_Atomic uint64_t	refused_per_ip;
	_Atomic uint64_t	fork_failed;
	_Atomic uint64_t	reaped_exit;
	_Atomic uint64_t	reaped_signal;
	_Atomic pid_t		udp_pid;
	_Atomic uint64_t	udp_in;
	_Atomic uint64_t	udp_out;
	_Atomic uint64_t	udp_dropped;
	_Atomic unsigned	log_generation;	/* listener: SIGHUPs so far */
};

struct scoreboard {
	struct sb_counters	*c;
	struct sb_slot		*slots;
	int			 nslots;
	int			*free;	/* listener-private stack of free slots */
	int			 nfree;
	size_t			 maplen;
};

/* Map the region for nslots children.  -1 with errno set. */
int	scoreboard_open(struct scoreboard *, int nslots);
void	scoreboard_close(struct scoreboard *);
/* Listener: take a free slot for a new child, or NULL when all are used. */
struct sb_slot *scoreboard_alloc(struct scoreboard *);
/* Listener: publish the slot's child (after fork) and count it live. */
void	scoreboard_publish(struct scoreboard *, struct sb_slot *, pid_t);
/* Listener: the slot of a live child, or NULL. */
struct sb_slot *scoreboard_find(struct scoreboard *, pid_t);
/* Listener: give a slot back (at reap, or when fork failed). */
void	scoreboard_release(struct scoreboard *, struct sb_slot *);
/* Live children whose peer key equals key[0..keylen). */
int	scoreboard_count_key(const struct scoreboard *,
	    const unsigned char *key, size_t keylen);
/* Short name of a state ("reading"...). */
const char *scoreboard_state_name(int);
/*
 * Build the STATS reply: "+OK N sessions", the counter lines, then (when
 * sessions is set) one line per live session.  -1 ENOMEM.
 */
int	scoreboard_stats(const struct scoreboard *, int sessions,
	    struct reply *);

#endif
