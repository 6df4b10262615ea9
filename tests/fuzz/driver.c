/*
 * driver: runs a fuzz harness without libFuzzer.  Every file named on the
 * command line is one input; then -n pseudo-random inputs from seed -s
 * (or as many as -t seconds allow).  Deterministic, so make check runs it
 * as an ordinary test.  An input that makes the harness abort is saved to
 * $FUZZ_CRASH_DIR (default .) for replay: driver FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_INPUT	4096

static const char	*usage = "usage: driver-%s [-n count] [-s seed] "
			    "[-t seconds] [file ...]\n";

/* The input being run, for the SIGABRT handler. */
static const uint8_t	*cur;
static size_t		 cur_len;
static char		 crash_path[4096];

static uint64_t
rnd(uint64_t *s)
{
	/* splitmix64 */
	uint64_t	z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Fill buf[i..end) with bytes biased towards what the line decoder cares
 * about: line ends, telnet commands, long runs.
 */
static void
soup(uint8_t *buf, size_t i, size_t end, uint64_t *s)
{
	static const uint8_t	 special[] = { '\r', '\n', '\0', 0xff, 0xfe,
				    0xfd, 0xfc, 0xfb, 0xfa, 0xf0, 'a' };
	uint64_t		 r;
	size_t			 k;

	while (i < end) {
		r = rnd(s);
		switch (r % 8) {
		case 0: case 1: case 2:
			buf[i++] = (uint8_t)(r >> 8);
			break;
		case 3: case 4:
			buf[i++] = special[(r >> 8) % sizeof(special)];
			break;
		case 5:		/* a run, long enough to pass a small cap */
			for (k = (r >> 8) % 64; k > 0 && i < end; k--)
				buf[i++] = 'x';
			break;
		case 6:		/* a length prefix with a small value */
			for (k = 0; k < 3 && i < end; k++)
				buf[i++] = 0;
			if (i < end)
				buf[i++] = (uint8_t)((r >> 8) % 50);
			break;
		default:	/* IAC SB ... IAC SE */
			if (i + 4 < end) {
				buf[i++] = 0xff;
				buf[i++] = 0xfa;
				buf[i++] = (uint8_t)(r >> 8);
				buf[i++] = 0xff;
				buf[i++] = 0xf0;
			} else
				buf[i++] = (uint8_t)(r >> 8);
		}
	}
}

/*
 * One input: two random header bytes (the harness's parameters), then
 * either byte soup or a run of well-formed frames (now and then an
 * oversize prefix), cut wherever the length ends.
 */
static size_t
generate(uint8_t *buf, uint64_t *s)
{
	size_t		 len, i, k;
	uint64_t	 r;

	r = rnd(s);
	len = r % 8 == 0 ? r / 8 % MAX_INPUT : r / 8 % 512;
	for (i = 0; i < len && i < 2; i++)
		buf[i] = (uint8_t)rnd(s);
	if (r / 8 / MAX_INPUT % 2 == 0) {
		soup(buf, i, len, s);
		return len;
	}
	while (i < len) {
		r = rnd(s);
		k = r % 16 == 0 ? (r >> 8) % 512 : (r >> 8) % 48;
		if (r % 32 == 1)
			k = (size_t)(r >> 16);	/* likely over the cap */
		buf[i++] = (uint8_t)(k >> 24);
		if (i < len)
			buf[i++] = (uint8_t)(k >> 16);
		if (i < len)
			buf[i++] = (uint8_t)(k >> 8);
		if (i < len)
			buf[i++] = (uint8_t)k;
		k = k < len - i ? k : len - i;
		soup(buf, i, i + k, s);
		i += k;
	}
	return len;
}

/* Save the input that made the harness abort, then die of it. */
static void
on_abort(int sig)
{
	static const char	 msg[] = "driver: the failing input is in ";
	const uint8_t		*p = cur;
	size_t			 n = cur_len;
	ssize_t			 w;
	int			 fd;

	fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd != -1) {
		while (n > 0 && (w = write(fd, p, n)) > 0) {
			p += w;
			n -= (size_t)w;
		}
		close(fd);
		(void)!write(2, msg, sizeof(msg) - 1);
		(void)!write(2, crash_path, strlen(crash_path));
		(void)!write(2, "\n", 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Run the harness on buf[0..len), an exact-size heap copy. */
static void
run(const uint8_t *in, size_t len)
{
	uint8_t	*buf;

	if ((buf = malloc(len > 0 ? len : 1)) == NULL) {
		perror("driver: malloc");
		exit(1);
	}
	memcpy(buf, in, len);
	cur = buf;
	cur_len = len;
	LLVMFuzzerTestOneInput(buf, len);
	cur = NULL;
	cur_len = 0;
	free(buf);
}

static int
run_file(const char *path)
{
	static uint8_t	 buf[1024 * 1024];
	size_t		 len;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		fprintf(stderr, "driver: %s: read error\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	snprintf(crash_path, sizeof(crash_path), "%s/crash-%s-file",
	    getenv("FUZZ_CRASH_DIR") ? getenv("FUZZ_CRASH_DIR") : ".",
	    fuzz_name);
	run(buf, len);
	return 0;
}

static unsigned long
number(const char *s, int opt)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-') {
		fprintf(stderr, "driver: -%c: not a number: %s\n", opt, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	static uint8_t	 buf[MAX_INPUT];
	unsigned long	 count = 0, seed = 1, seconds = 0, i;
	unsigned long long bytes = 0;
	uint64_t	 s;
	time_t		 deadline = 0;
	const char	*dir;
	size_t		 len;
	int		 c, files = 0;

	while ((c = getopt(argc, argv, "n:s:t:")) != -1) {
		switch (c) {
		case 'n':
			count = number(optarg, c);
			break;
		case 's':
			seed = number(optarg, c);
			break;
		case 't':
			seconds = number(optarg, c);
			break;
		default:
			fprintf(stderr, usage, fuzz_name);
			return 2;
		}
	}
	if (count == 0 && seconds == 0)
		count = 10000;
	if (seconds > 0)
		deadline = time(NULL) + (time_t)seconds;
	signal(SIGABRT, on_abort);

	for (; optind < argc; optind++) {
		if (run_file(argv[optind]) == -1)
			return 1;
		files++;
	}

	dir = getenv("FUZZ_CRASH_DIR") ? getenv("FUZZ_CRASH_DIR") : ".";
	s = seed;
	for (i = 0; count == 0 || i < count; i++) {
		if (deadline != 0 && i % 256 == 0 && time(NULL) >= deadline)
			break;
		snprintf(crash_path, sizeof(crash_path), "%s/crash-%s-s%lu-%lu",
		    dir, fuzz_name, seed, i);
		len = generate(buf, &s);
		bytes += len;
		run(buf, len);
	}
	printf("driver-%s: %d files, %lu random inputs of %llu bytes "
	    "(seed %lu): every invariant held\n", fuzz_name, files, i, bytes,
	    seed);
	return 0;
}
