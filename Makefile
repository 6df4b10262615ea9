# forkd — one hand-written Makefile.  `make` builds forkd and forkc,
# `make run-server` runs forkd in the foreground, `make check` runs every
# test (installing Check first when it can), `make bench` measures forkd
# against its peers and yardsticks (docs/PERFORMANCE.md).  Quality
# targets: check-asan, check-valgrind, fuzz, lint (see the section at the
# end).

CC	?= cc
PREFIX	?= /usr/local
DESTDIR	?=
CFLAGS	?= -O2 -g
# Bind every library symbol at start (-z now): lazily bound, each child
# would resolve, and copy on write, the GOT entries of the functions it
# calls first, once per connection.  Added to any LDFLAGS; GNU and LLVM
# linkers (elsewhere: make BIND_NOW=).
BIND_NOW = -Wl,-z,relro,-z,now
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
	     server/session.c server/udp_worker.c server/verbs.c \
	     server/worker.c
CLIENT_SRC = client/bench.c client/client.c client/histo.c \
	     client/options.c client/stats.c client/watch.c
UNIT_SRC   = $(wildcard tests/unit/check_*.c) tests/unit/util.c

COMMON_OBJ = $(COMMON_SRC:.c=.o)
SERVER_OBJ = $(SERVER_SRC:.c=.o)
CLIENT_OBJ = $(CLIENT_SRC:.c=.o)
UNIT_OBJ   = $(UNIT_SRC:.c=.o)

BINS = forkd forkc

all: $(BINS)

forkd: server/main.o libserver.a libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ server/main.o libserver.a libcommon.a

forkc: client/main.o libclient.a libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ client/main.o libclient.a libcommon.a

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
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $(UNIT_OBJ) libserver.a \
	    libclient.a libcommon.a $(CHECK_LIBS)

# make check runs three passes at once (tests/check-all.sh): the suite on
# this build, again on the ASan + UBSan build (check-asan), and the unit
# tests under valgrind (check-valgrind).  check-plain is the first alone.
check:
	@sh tests/need-check.sh
	@$(MAKE) -s --no-print-directory all tests/unit/check_forkd $(FUZZ_DRIVERS)
	@! CC="$(CC)" sh tests/have-sanitizers.sh || \
	    $(MAKE) -s --no-print-directory $(SAN_BINS)
	+@CC="$(CC)" MAKE="$(MAKE)" sh tests/check-all.sh

check-plain:
	@sh tests/need-check.sh
	@$(MAKE) -s --no-print-directory all tests/unit/check_forkd $(FUZZ_DRIVERS)
	@sh tests/run.sh

run-server: all
	./forkd $(ARGS)

# ---- bench ----------------------------------------------------------
# The two yardsticks are built like forkd (same CC, CFLAGS, link mode):
# the targets are ratios to them.  scripts/bench bounds itself (290 s).
BENCH_REFS = bench/ref_fork bench/ref_poll
# Makefile too: a change of flags (BIND_NOW...) must reach them as well.
bench/ref_%: bench/ref_%.c Makefile
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $<

bench: all $(BENCH_REFS)
	@sh scripts/bench

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
	    tests/unit/check_forkd tests/fuzz/*.o tests/fuzz/*.d $(FUZZ_DRIVERS) \
	    $(BENCH_REFS)
	rm -rf tests/run.tmp build

# ---- quality: sanitizers, valgrind, fuzzing, lint -----------------------
# check-asan builds everything again with ASan + UBSan into $(SAN_DIR)
# (never mixed with the in-tree objects) and runs the whole suite on it.
# CFLAGS still apply (-Werror in CI); the sanitizer flags come last.
SAN_DIR	   = build/asan
SAN_FLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer -O1 -g
SAN_CFLAGS = $(WARN) $(CFLAGS) $(SAN_FLAGS) -MMD -MP
# Any report fails: abort at the first error, leaks included (forked
# children _exit(), so LeakSanitizer only checks processes that exit()).
SAN_ENV	   = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:$${ASAN_OPTIONS:-} \
	     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:$${UBSAN_OPTIONS:-}

SAN_COMMON = $(addprefix $(SAN_DIR)/,$(COMMON_OBJ))
SAN_SERVER = $(addprefix $(SAN_DIR)/,$(SERVER_OBJ))
SAN_CLIENT = $(addprefix $(SAN_DIR)/,$(CLIENT_OBJ))
SAN_UNIT   = $(addprefix $(SAN_DIR)/,$(UNIT_OBJ))

$(SAN_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SAN_CFLAGS) -c -o $@ $<
$(SAN_DIR)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SAN_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<
$(SAN_DIR)/libcommon.a: $(SAN_COMMON)
	$(AR) rcs $@ $(SAN_COMMON)
$(SAN_DIR)/libserver.a: $(SAN_SERVER)
	$(AR) rcs $@ $(SAN_SERVER)
$(SAN_DIR)/libclient.a: $(SAN_CLIENT)
	$(AR) rcs $@ $(SAN_CLIENT)
$(SAN_DIR)/forkd: $(SAN_DIR)/server/main.o $(SAN_DIR)/libserver.a \
	    $(SAN_DIR)/libcommon.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $(SAN_DIR)/server/main.o \
	    $(SAN_DIR)/libserver.a $(SAN_DIR)/libcommon.a
$(SAN_DIR)/forkc: $(SAN_DIR)/client/main.o $(SAN_DIR)/libclient.a \
	    $(SAN_DIR)/libcommon.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $(SAN_DIR)/client/main.o \
	    $(SAN_DIR)/libclient.a $(SAN_DIR)/libcommon.a
$(SAN_DIR)/tests/unit/check_forkd: $(SAN_UNIT) $(SAN_DIR)/libserver.a \
	    $(SAN_DIR)/libclient.a $(SAN_DIR)/libcommon.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $(SAN_UNIT) \
	    $(SAN_DIR)/libserver.a $(SAN_DIR)/libclient.a \
	    $(SAN_DIR)/libcommon.a $(CHECK_LIBS)
$(SAN_DIR)/tests/fuzz/driver-%: $(SAN_DIR)/tests/fuzz/driver.o \
	    $(SAN_DIR)/tests/fuzz/fuzz_%.o $(SAN_DIR)/libcommon.a
	$(CC) $(SAN_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $^

# The shell tests get forkc through a wrapper that turns LeakSanitizer off
# (ASan and UBSan stay on).  LeakSanitizer stops the exiting process with
# ptrace's SIGSTOP, and a SIGCONT landing meanwhile (timeout(1) sends one
# after forwarding a signal: tests/integration/forkc_modes.sh) discards
# it: the process then hangs for good.  The unit tests cover the client
# code with leak checks.
$(SAN_DIR)/forkc-noleaks: $(SAN_DIR)/forkc
	printf '%s\n' '#!/bin/sh' \
	    '# forkc for make check-asan: ASan + UBSan, no leak check' \
	    'ASAN_OPTIONS="$${ASAN_OPTIONS:-}:detect_leaks=0" exec "$${0%-noleaks}" "$$@"' \
	    >$@
	chmod +x $@

SAN_BINS = $(SAN_DIR)/forkd $(SAN_DIR)/forkc $(SAN_DIR)/forkc-noleaks \
	   $(SAN_DIR)/tests/unit/check_forkd \
	   $(FUZZ_HARNESSES:%=$(SAN_DIR)/tests/fuzz/driver-%)

# tests/run.sh and scripts/lib.sh take the binaries from the environment;
# with SANITIZE set, a test fails when a report shows in its files.
check-asan:
	@sh tests/need-check.sh
	@$(MAKE) -s --no-print-directory $(SAN_BINS)
	@$(SAN_ENV) SANITIZE=1 FORKD=$(CURDIR)/$(SAN_DIR)/forkd \
	    FORKC=$(CURDIR)/$(SAN_DIR)/forkc-noleaks \
	    CHECK_FORKD=$(SAN_DIR)/tests/unit/check_forkd \
	    FUZZ_DRIVER_DIR=$(CURDIR)/$(SAN_DIR)/tests/fuzz \
	    RUN_DIR=$(SAN_DIR)/run.tmp sh tests/run.sh

# The unit tests under valgrind.  CK_FORK=no asks Check to run the tests
# in-process (while check_main forces CK_FORK, valgrind follows each
# forked test instead: an error there fails that test); the timeouts are
# stretched for valgrind's slowness.
VALGRIND   = valgrind -q --error-exitcode=1 --leak-check=full \
	     --errors-for-leak-kinds=definite --num-callers=30
check-valgrind:
	@sh tests/need-check.sh
	@command -v valgrind >/dev/null 2>&1 || { \
	    echo "make check-valgrind needs valgrind. Install it with:"; \
	    echo "    sudo apt-get install -y valgrind"; exit 1; }
	@$(MAKE) -s --no-print-directory tests/unit/check_forkd
	@CK_FORK=no CK_TIMEOUT_MULTIPLIER=20 UNIT_WRAPPER="$(VALGRIND)" \
	    RUN_INTEGRATION=no RUN_DIR=build/valgrind/run.tmp sh tests/run.sh

# Fuzzing the pure decoders.  tests/fuzz/fuzz_<name>.c holds a libFuzzer
# target; tests/fuzz/driver.c runs one without libFuzzer (make check runs
# it a fixed number of times, tests/integration/fuzz.sh).  make fuzz runs
# libFuzzer (clang) for FUZZ_SECONDS per target, or the driver under
# ASan + UBSan when libFuzzer cannot be had.  Crashes land in build/fuzz.
FUZZ_HARNESSES = line frame
FUZZ_DRIVERS   = $(FUZZ_HARNESSES:%=tests/fuzz/driver-%)
FUZZ_CC	      ?= clang
FUZZ_SECONDS  ?= 60
FUZZ_DIR       = build/fuzz
FUZZ_FLAGS     = -fsanitize=address,undefined -fno-sanitize-recover=all \
		 -fno-omit-frame-pointer -O1 -g

# Objects reached only through these pattern rules are kept.
.SECONDARY: tests/fuzz/driver.o $(FUZZ_HARNESSES:%=tests/fuzz/fuzz_%.o) \
	    $(SAN_DIR)/tests/fuzz/driver.o \
	    $(FUZZ_HARNESSES:%=$(SAN_DIR)/tests/fuzz/fuzz_%.o)
tests/fuzz/driver-%: tests/fuzz/driver.o tests/fuzz/fuzz_%.o libcommon.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(BIND_NOW) -o $@ $^

$(FUZZ_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(WARN) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
$(FUZZ_DIR)/fuzz_line: $(FUZZ_DIR)/tests/fuzz/fuzz_line.o $(FUZZ_DIR)/common/line.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^
$(FUZZ_DIR)/fuzz_frame: $(FUZZ_DIR)/tests/fuzz/fuzz_frame.o \
	    $(FUZZ_DIR)/common/frame.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^

fuzz:
	@if FUZZ_CC="$(FUZZ_CC)" sh tests/fuzz/need-libfuzzer.sh; then \
	    $(MAKE) -s --no-print-directory fuzz-libfuzzer; \
	else \
	    echo "make fuzz: no libFuzzer, running the plain driver" \
		"(ASan + UBSan) instead"; \
	    $(MAKE) -s --no-print-directory fuzz-driver; \
	fi

fuzz-libfuzzer: $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)
	@mkdir -p $(FUZZ_DIR)/crashes
	@for h in $(FUZZ_HARNESSES); do \
	    echo "== fuzz_$$h: libFuzzer, $(FUZZ_SECONDS) s"; \
	    mkdir -p $(FUZZ_DIR)/corpus/$$h; \
	    $(SAN_ENV) $(FUZZ_DIR)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/crashes/ \
		$(FUZZ_DIR)/corpus/$$h tests/fuzz/corpus/$$h || exit 1; \
	done

fuzz-driver: $(FUZZ_HARNESSES:%=$(SAN_DIR)/tests/fuzz/driver-%)
	@mkdir -p $(FUZZ_DIR)/crashes
	@for h in $(FUZZ_HARNESSES); do \
	    echo "== driver-$$h: $(FUZZ_SECONDS) s"; \
	    $(SAN_ENV) FUZZ_CRASH_DIR=$(FUZZ_DIR)/crashes \
		$(SAN_DIR)/tests/fuzz/driver-$$h -s `date +%s` \
		-t $(FUZZ_SECONDS) tests/fuzz/corpus/$$h/* || exit 1; \
	done

# Lint: clang-format (KNF, .clang-format) reports but does not fail
# unless FORMAT_STRICT=1 (see .clang-format: clang-format cannot do KNF's
# aligned declarations, so every file differs); cppcheck and shellcheck
# fail on any finding (a false positive gets a justified inline
# suppression).
C_SOURCES  = $(wildcard common/*.[ch] server/*.[ch] client/*.[ch] \
	     tests/unit/*.[ch] tests/fuzz/*.[ch])
SH_SOURCES = $(wildcard scripts/*) tests/*.sh $(wildcard tests/integration/*.sh) \
	     tests/fuzz/*.sh .ci/run
CLANG_FORMAT ?= clang-format
FORMAT_STRICT ?= 0

lint:
	@for t in $(CLANG_FORMAT) cppcheck shellcheck; do \
	    command -v $$t >/dev/null 2>&1 && continue; \
	    echo "make lint needs $$t. Install it with:"; \
	    echo "    sudo apt-get install -y clang-format cppcheck shellcheck"; \
	    exit 1; \
	done
	@st=0; \
	$(MAKE) -s --no-print-directory lint-format || st=1; \
	$(MAKE) -s --no-print-directory lint-cppcheck || st=1; \
	$(MAKE) -s --no-print-directory lint-shellcheck || st=1; \
	if [ $$st -eq 0 ]; then echo "lint: ok"; else echo "lint: failed"; fi; \
	exit $$st

# The three parts alone (make check runs the last two when installed:
# tests/integration/lint.sh).
lint-format:
	@echo "== clang-format (.clang-format, KNF)"; \
	n=0; for f in $(C_SOURCES); do \
	    w=`$(CLANG_FORMAT) --dry-run $$f 2>&1 | grep -c ': warning:'`; \
	    [ "$$w" -eq 0 ] && continue; \
	    n=$$((n + 1)); echo "$$f: $$w places to reformat"; \
	done; \
	echo "clang-format: $$n of `echo $(C_SOURCES) | wc -w` files differ" \
	    "(clang-format --dry-run FILE shows where; this fails only with" \
	    "FORMAT_STRICT=1)"; \
	[ $$n -eq 0 ] || [ "$(FORMAT_STRICT)" = 0 ]

lint-cppcheck:
	@echo "== cppcheck"
	@cppcheck -q --std=c11 --enable=warning,performance,portability \
	    --error-exitcode=1 --inline-suppr -D_POSIX_C_SOURCE=200809L \
	    -D_DEFAULT_SOURCE -Icommon -Iserver -Iclient common server client

lint-shellcheck:
	@echo "== shellcheck"
	@shellcheck -x -s sh $(SH_SOURCES)

.PHONY: all check check-plain run-server bench install uninstall clean check-asan \
	check-valgrind fuzz fuzz-libfuzzer fuzz-driver lint lint-format \
	lint-cppcheck lint-shellcheck

-include $(COMMON_SRC:.c=.d) $(SERVER_SRC:.c=.d) $(CLIENT_SRC:.c=.d) \
	 server/main.d client/main.d $(UNIT_SRC:.c=.d) $(BENCH_REFS:=.d)
-include $(wildcard tests/fuzz/*.d $(SAN_DIR)/*/*.d $(SAN_DIR)/*/*/*.d \
	 $(FUZZ_DIR)/*/*.d $(FUZZ_DIR)/*/*/*.d)
