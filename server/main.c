/*
 * forkd: a fork-per-connection TCP server with a UDP worker.
 * main() reads like the table of contents: options, log, sockets,
 * daemon, scoreboard, listener loop, exit.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "fds.h"
#include "listener.h"
#include "log.h"
#include "privs.h"
#include "proctitle.h"
#include "proto.h"
#include "scoreboard.h"
#include "sock.h"

#define BIND_TRIES	16	/* -p 0: find a port free for TCP and UDP */

struct sockets {
	int	 tcp;
	int	 udp;
};

static int	detached;	/* after -d, stderr is /dev/null */

static void
die(const char *what, const char *why)
{
	if (detached)
		log_event(LOG_LVL_WARN, "stop", "error=\"%s: %s\"", what, why);
	fprintf(stderr, "forkd: %s: %s\n", what, why);
	exit(1);
}

/*
 * A relative path made absolute, since a daemon runs in "/".  Kept for
 * the life of the process (the log reopens its file on SIGHUP), in
 * kept[], where it stays reachable: never a leak to LeakSanitizer.
 */
static const char *
absolute(const char *path)
{
	static char	*kept[2];	/* --log-file, --pidfile */
	static int	 n;
	char		 cwd[PATH_MAX];
	size_t		 size;

	if (path == NULL || path[0] == '/' || n == 2 ||
	    getcwd(cwd, sizeof(cwd)) == NULL)
		return path;
	size = strlen(cwd) + 1 + strlen(path) + 1;
	if ((kept[n] = malloc(size)) == NULL)
		die("memory", strerror(errno));
	(void)snprintf(kept[n], size, "%s/%s", cwd, path);
	return kept[n++];
}

/* Bind one socket or say exactly why not. */
static int
bind_one(const struct config *cfg, int port, int type, const char **why)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd;

	if (sock_resolve(cfg->bind, port, type, &ss, &len, why) == -1)
		return -2;
	if ((fd = sock_bind((struct sockaddr *)&ss, len, type,
	    cfg->backlog)) == -1)
		*why = strerror(errno);
	return fd;
}

/*
 * Bind TCP, then UDP on the same port unless told otherwise.  With -p 0
 * the kernel picks the TCP port, and the pair is retried if that port
 * happens to be taken for UDP.
 */
static void
open_sockets(const struct config *cfg, struct sockets *s)
{
	const char	*why = NULL;
	char		 what[128];
	int		 try, uport;

	for (try = 0; try < BIND_TRIES; try++) {
		s->tcp = bind_one(cfg, cfg->port, SOCK_STREAM, &why);
		snprintf(what, sizeof(what), "TCP %s port %d", cfg->bind,
		    cfg->port);
		if (s->tcp < 0)
			die(what, why);
		s->udp = -1;
		if (!cfg->udp)
			return;
		uport = cfg->udp_port >= 0 ? cfg->udp_port :
		    sock_local_port(s->tcp);
		if ((s->udp = bind_one(cfg, uport, SOCK_DGRAM, &why)) >= 0)
			return;
		(void)close(s->tcp);
		if (cfg->port != 0 || cfg->udp_port >= 0 || errno != EADDRINUSE)
			break;
	}
	snprintf(what, sizeof(what), "UDP %s port %d", cfg->bind, uport);
	die(what, why);
}

/*
 * With --user, drop root now that the sockets are bound; without it,
 * running as root is allowed but said once.
 */
static void
drop_privileges(const struct config *cfg)
{
	const char	*why;

	if (cfg->user != NULL) {
		if (geteuid() != 0)
			die("--user", "needs forkd to be started as root");
		if (privs_drop(cfg->user, &why) == -1)
			die(cfg->user, why);
		log_event(LOG_LVL_INFO, "privileges", "user=%s uid=%ld gid=%ld",
		    cfg->user, (long)getuid(), (long)getgid());
	} else if (geteuid() == 0)
		log_event(LOG_LVL_WARN, "privileges", "user=root "
		    "warning=\"serving clients as root; use --user NAME\"");
}

static void
start_daemon(const struct config *cfg)
{
	if (cfg->daemon && daemon_detach() == -1)
		die("daemon", strerror(errno));
	detached = cfg->daemon;
	if (cfg->pidfile != NULL && daemon_pidfile_write(cfg->pidfile) == -1)
		die(cfg->pidfile, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct config		 cfg;
	struct scoreboard	 sb;
	struct sockets		 s;
	char			 err[CONFIG_ERR_MAX];
	int			 rc;

	/*
	 * Descriptors inherited from whoever started us would leak into
	 * every child: keep only stdin, stdout and stderr.
	 */
	fds_close_from(3);
	if (proctitle_init(argc, argv) == -1)
		die("proctitle", strerror(errno));
	switch (config_parse(&cfg, argc, argv, err)) {
	case CONFIG_HELP:
		fputs(config_usage, stdout);
		return 0;
	case CONFIG_VERSION:
		printf("forkd %s\n", FORKD_VERSION);
		return 0;
	case CONFIG_USAGE:
		fprintf(stderr, "forkd: %s\n%s", err, config_usage);
		return 2;
	case CONFIG_OK:
		break;
	}
	/* A vanished peer is an EPIPE to handle, never a fatal signal. */
	(void)signal(SIGPIPE, SIG_IGN);
	cfg.log_file = absolute(cfg.log_file);
	cfg.pidfile = absolute(cfg.pidfile);
	if (log_open("forkd", cfg.log_file, cfg.daemon, cfg.log_level) == -1)
		die(cfg.log_file, strerror(errno));
	log_set_style(cfg.log_style);
	open_sockets(&cfg, &s);
	start_daemon(&cfg);
	drop_privileges(&cfg);
	if (scoreboard_open(&sb, cfg.max_children) == -1)
		die("scoreboard", strerror(errno));
	/* Nothing below writes through stdio: no buffer to copy into children. */
	fflush(NULL);
	log_event(LOG_LVL_INFO, "start", "version=%s addr=%s tcp_port=%d "
	    "udp_port=%d max_children=%d per_ip=%d idle=%.3fs reap=%s "
	    "model=%s", FORKD_VERSION, cfg.bind, sock_local_port(s.tcp),
	    s.udp != -1 ? sock_local_port(s.udp) : 0, cfg.max_children,
	    cfg.per_ip, (double)cfg.idle_ms / 1000,
	    reaper_mode_name(cfg.reap), config_model_name(cfg.model));
	log_event(LOG_LVL_INFO, "listen", "fd=%d proto=tcp backlog=%d",
	    s.tcp, cfg.backlog);
	rc = listener_run(&cfg, s.tcp, s.udp, &sb);
	scoreboard_close(&sb);
	daemon_pidfile_remove(cfg.pidfile);
	return rc;
}
