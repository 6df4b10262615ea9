/*
 * scoreboard: shared counters and per-child slots.  The region is mapped
 * once, before the first fork, so every process sees the same pages.
 * Reads by STATS are lock-free: a slot is published by storing its pid
 * last and freed by zeroing the pid first, so a reader skips slots in flux.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "clock.h"
#include "scoreboard.h"

#define LOAD(x)		atomic_load_explicit(&(x), memory_order_relaxed)
#define STORE(x, v)	atomic_store_explicit(&(x), (v), memory_order_relaxed)

int
scoreboard_open(struct scoreboard *sb, int nslots)
{
	void	*p;
	int	 i;

	memset(sb, 0, sizeof(*sb));
	sb->maplen = sizeof(struct sb_counters) +
	    (size_t)nslots * sizeof(struct sb_slot);
	p = mmap(NULL, sb->maplen, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	if ((sb->free = malloc((size_t)nslots * sizeof(int))) == NULL) {
		munmap(p, sb->maplen);
		return -1;
	}
	sb->c = p;
	sb->slots = (struct sb_slot *)(void *)(sb->c + 1);
	sb->nslots = nslots;
	sb->c->max_children = nslots;
	sb->c->start_ms = clock_ms();
	/* Lowest slot on top of the stack: STATS lists in a stable order. */
	for (i = 0; i < nslots; i++)
		sb->free[i] = nslots - 1 - i;
	sb->nfree = nslots;
	return 0;
}

void
scoreboard_close(struct scoreboard *sb)
{
	if (sb->c != NULL)
		munmap(sb->c, sb->maplen);
	free(sb->free);
	memset(sb, 0, sizeof(*sb));
}

struct sb_slot *
scoreboard_alloc(struct scoreboard *sb)
{
	struct sb_slot	*s;

	if (sb->nfree == 0)
		return NULL;
	s = &sb->slots[sb->free[--sb->nfree]];
	STORE(s->state, SB_STARTING);
	STORE(s->requests, 0);
	STORE(s->bytes_in, 0);
	STORE(s->bytes_out, 0);
	return s;
}

void
scoreboard_publish(struct scoreboard *sb, struct sb_slot *s, pid_t pid)
{
	int	 n;

	atomic_store_explicit(&s->pid, pid, memory_order_release);
	n = LOAD(sb->c->children) + 1;
	STORE(sb->c->children, n);
	if (n > LOAD(sb->c->peak_children))
		STORE(sb->c->peak_children, n);
}

struct sb_slot *
scoreboard_find(struct scoreboard *sb, pid_t pid)
{
	int	 i;

	if (pid <= 0)
		return NULL;
	for (i = 0; i < sb->nslots; i++)
		if (LOAD(sb->slots[i].pid) == pid)
			return &sb->slots[i];
	return NULL;
}

void
scoreboard_release(struct scoreboard *sb, struct sb_slot *s)
{
	if (LOAD(s->pid) != 0)
		STORE(sb->c->children, LOAD(sb->c->children) - 1);
	atomic_store_explicit(&s->pid, 0, memory_order_release);
	STORE(s->state, SB_FREE);
	s->keylen = 0;
	sb->free[sb->nfree++] = (int)(s - sb->slots);
}

int
scoreboard_count_key(const struct scoreboard *sb, const unsigned char *key,
    size_t keylen)
{
	const struct sb_slot	*s;
	int			 i, n = 0;

	for (i = 0; i < sb->nslots; i++) {
		s = &sb->slots[i];
		if (LOAD(s->state) != SB_FREE && s->keylen == keylen &&
		    memcmp(s->key, key, keylen) == 0)
			n++;
	}
	return n;
}

const char *
scoreboard_state_name(int state)
{
	static const char *const names[] = {
		"free", "starting", "reading", "working", "writing",
		"sleeping", "closing", "idle"
	};

	if (state < 0 || state > SB_IDLE)
		return "unknown";
	return names[state];
}

static int
add_counters(const struct sb_counters *c, int64_t now, struct reply *r)
{
	if (reply_line(r, "listener_pid=%ld uptime=%.3fs children=%d "
	    "max_children=%d peak_children=%d", (long)LOAD(c->listener_pid),
	    (double)(now - c->start_ms) / 1000, LOAD(c->children),
	    c->max_children, LOAD(c->peak_children)) == -1)
		return -1;
	if (reply_line(r, "accepted=%llu refused_busy=%llu refused_per_ip=%llu "
	    "fork_failed=%llu reaped_exit=%llu reaped_signal=%llu",
	    (unsigned long long)LOAD(c->accepted),
	    (unsigned long long)LOAD(c->refused_busy),
	    (unsigned long long)LOAD(c->refused_per_ip),
	    (unsigned long long)LOAD(c->fork_failed),
	    (unsigned long long)LOAD(c->reaped_exit),
	    (unsigned long long)LOAD(c->reaped_signal)) == -1)
		return -1;
	return reply_line(r, "udp_pid=%ld udp_in=%llu udp_out=%llu "
	    "udp_dropped=%llu", (long)LOAD(c->udp_pid),
	    (unsigned long long)LOAD(c->udp_in),
	    (unsigned long long)LOAD(c->udp_out),
	    (unsigned long long)LOAD(c->udp_dropped));
}

/* One session line; 0 if the slot was free or changed hands meanwhile. */
static int
add_session(const struct sb_slot *s, int64_t now, struct reply *r)
{
	struct sb_slot	 copy;
	pid_t		 pid;

	if ((pid = atomic_load_explicit(&s->pid, memory_order_acquire)) == 0)
		return 0;
	memcpy(&copy, s, sizeof(copy));
	copy.peer[SOCK_PEER_MAX - 1] = '\0';
	if (atomic_load_explicit(&s->pid, memory_order_acquire) != pid)
		return 0;
	if (reply_line(r, "pid=%ld conn=%llu peer=%s state=%s age=%.3fs "
	    "requests=%llu bytes_in=%llu bytes_out=%llu", (long)pid,
	    (unsigned long long)copy.conn, copy.peer,
	    scoreboard_state_name(LOAD(copy.state)),
	    (double)(now - copy.start_ms) / 1000,
	    (unsigned long long)LOAD(copy.requests),
	    (unsigned long long)LOAD(copy.bytes_in),
	    (unsigned long long)LOAD(copy.bytes_out)) == -1)
		return -1;
	return 1;
}

int
scoreboard_stats(const struct scoreboard *sb, int sessions, struct reply *r)
{
	struct reply	 lines = REPLY_INIT;
	int64_t		 now = clock_ms();
	int		 i, n = 0, rc;

	/* Sessions are counted while listed, so the header is built last. */
	if (add_counters(sb->c, now, &lines) == -1)
		goto fail;
	for (i = 0; sessions && i < sb->nslots; i++) {
		if ((rc = add_session(&sb->slots[i], now, &lines)) == -1)
			goto fail;
		n += rc;
	}
	if (!sessions)
		n = LOAD(sb->c->children);
	if (reply_ok(r, "%d sessions", n) == -1 ||
	    buf_append(&r->text, buf_head(&lines.text),
	    buf_used(&lines.text)) == -1)
		goto fail;
	r->has_body = 1;
	reply_free(&lines);
	return 0;
fail:
	reply_free(&lines);
	errno = ENOMEM;
	return -1;
}
