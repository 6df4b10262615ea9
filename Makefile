# forkd — one hand-written Makefile.  `make` builds forkd and forkc,
# `make run-server` runs forkd in the foreground, `make check` runs every
# test (installing Check first when it can).

CC	?= cc
PREFIX	?= /usr/local
DESTDIR	?=
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes \
	   -Wmissing-prototypes -Wshadow -Wpointer-arith
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	   -Icommon -Iserver -Iclient
ALL_CFLAGS = $(WARN) $(CFLAGS) -MMD -MP
ARGS	?=

COMMON_SRC = common/buf.c common/clock.c common/cmd.c common/frame.c \
	     common/line.c common/log.c common/netio.c common/parse.c \
	     common/reply.c common/sig.c common/sock.c
SERVER_SRC = server/config.c server/daemon.c server/exitcode.c \
	     server/fds.c server/listener.c server/privs.c server/proctitle.c \
	     server/ratelimit.c server/reaper.c server/scoreboard.c \
	     server/session.c server/udp_worker.c server/verbs.c
CLIENT_SRC = client/bench.c client/client.c client/histo.c \
	     client/options.c client/stats.c client/watch.c
UNIT_SRC   = $(wildcard tests/unit/check_*.c)

COMMON_OBJ = $(COMMON_SRC:.c=.o)
SERVER_OBJ = $(SERVER_SRC:.c=.o)
CLIENT_OBJ = $(CLIENT_SRC:.c=.o)
UNIT_OBJ   = $(UNIT_SRC:.c=.o)

BINS = forkd forkc

all: $(BINS)

forkd: server/main.o libserver.a libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ server/main.o libserver.a libcommon.a

forkc: client/main.o libclient.a libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ client/main.o libclient.a libcommon.a

libcommon.a: $(COMMON_OBJ)
	$(AR) rcs $@ $(COMMON_OBJ)
libserver.a: $(SERVER_OBJ)
	$(AR) rcs $@ $(SERVER_OBJ)
libclient.a: $(CLIENT_OBJ)
	$(AR) rcs $@ $(CLIENT_OBJ)

%.o: %.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

# ---- tests ----------------------------------------------------------
# Check is found with pkg-config; tests/need-check installs it when it can.
CHECK_CFLAGS = `pkg-config --cflags check`
CHECK_LIBS   = `pkg-config --libs check`

tests/unit/%.o: tests/unit/%.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

tests/unit/check_forkd: $(UNIT_OBJ) libserver.a libclient.a libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJ) libserver.a \
	    libclient.a libcommon.a $(CHECK_LIBS)

check:
	@sh tests/need-check.sh
	@$(MAKE) -s --no-print-directory all tests/unit/check_forkd
	@sh tests/run.sh

run-server: all
	./forkd $(ARGS)

# ---- install --------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 forkd forkc $(DESTDIR)$(PREFIX)/bin
	install -m 644 man/forkd.1 man/forkc.1 $(DESTDIR)$(PREFIX)/share/man/man1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/forkd $(DESTDIR)$(PREFIX)/bin/forkc
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/forkd.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man1/forkc.1

clean:
	rm -f $(BINS) *.a */*.o */*.d tests/unit/*.o tests/unit/*.d \
	    tests/unit/check_forkd
	rm -rf tests/run.tmp

.PHONY: all check run-server install uninstall clean

-include $(COMMON_SRC:.c=.d) $(SERVER_SRC:.c=.d) $(CLIENT_SRC:.c=.d) \
	 server/main.d client/main.d $(UNIT_SRC:.c=.d)
