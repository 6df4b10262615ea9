/*
 * check_sock: numeric resolution, listening and connecting sockets on
 * 127.0.0.1 and ::1 (port 0, when IPv6 is there at all) with their
 * flags, and the peer strings and limit keys of v4, v6 and IPv4-mapped
 * addresses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <check.h>

#include "sock.h"
#include "suites.h"

static struct sockaddr_storage	 ss;
static socklen_t		 sslen;

static const struct sockaddr *
sa(void)
{
	return (const struct sockaddr *)&ss;
}

static void
v4(const char *ip, int port)
{
	struct sockaddr_in	*s = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin_family = AF_INET;
	s->sin_port = htons((unsigned short)port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &s->sin_addr), 1);
	sslen = sizeof(*s);
}

static void
v6(const char *ip, int port)
{
	struct sockaddr_in6	*s = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons((unsigned short)port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &s->sin6_addr), 1);
	sslen = sizeof(*s);
}

/* The lowest free descriptor: unchanged when nothing leaked. */
static int
lowest_free(void)
{
	int	 fd = dup(0);

	ck_assert_int_ne(fd, -1);
	close(fd);
	return fd;
}

START_TEST(test_resolve_v4)
{
	const struct sockaddr_in	*s = (const struct sockaddr_in *)&ss;
	const char			*why = NULL;
	char				 ip[SOCK_PEER_MAX];

	memset(&ss, 0xff, sizeof(ss));
	ck_assert_int_eq(sock_resolve("127.0.0.1", 8007, SOCK_STREAM, &ss,
	    &sslen, &why), 0);
	ck_assert_int_eq(s->sin_family, AF_INET);
	ck_assert_uint_eq(sslen, sizeof(struct sockaddr_in));
	ck_assert_int_eq(ntohs(s->sin_port), 8007);
	ck_assert_int_eq(sock_addr_port(sa()), 8007);
	sock_ip_str(sa(), ip);
	ck_assert_str_eq(ip, "127.0.0.1");
	ck_assert_int_eq(sock_resolve("10.1.2.3", 0, SOCK_DGRAM, &ss, &sslen,
	    &why), 0);
	sock_ip_str(sa(), ip);
	ck_assert_str_eq(ip, "10.1.2.3");
	ck_assert_int_eq(sock_addr_port(sa()), 0);
}
END_TEST

START_TEST(test_resolve_v6)
{
	const char	*why = NULL;
	char		 peer[SOCK_PEER_MAX];

	ck_assert_int_eq(sock_resolve("::1", 65535, SOCK_STREAM, &ss, &sslen,
	    &why), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert_uint_eq(sslen, sizeof(struct sockaddr_in6));
	sock_peer_str(sa(), peer);
	ck_assert_str_eq(peer, "[::1]:65535");
}
END_TEST

/* No name lookup needed to fail: a socket type with no such service. */
START_TEST(test_resolve_fails)
{
	const char	*why = NULL;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 80, SOCK_RAW, &ss, &sslen,
	    &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_int_gt(strlen(why), 0);
}
END_TEST

START_TEST(test_peer_v4)
{
	unsigned char	 key[16];
	char		 s[SOCK_PEER_MAX];

	v4("192.0.2.1", 51234);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "192.0.2.1:51234");
	sock_ip_str(sa(), s);
	ck_assert_str_eq(s, "192.0.2.1");
	ck_assert_uint_eq(sock_addr_key(sa(), key), 4);
	ck_assert_int_eq(memcmp(key, "\xc0\x00\x02\x01", 4), 0);
	v4("255.255.255.255", 65535);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "255.255.255.255:65535");
}
END_TEST

START_TEST(test_peer_v6)
{
	unsigned char	 key[16], want[16];
	char		 s[SOCK_PEER_MAX];

	v6("2001:db8::1", 443);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "[2001:db8::1]:443");
	sock_ip_str(sa(), s);
	ck_assert_str_eq(s, "2001:db8::1");
	ck_assert_uint_eq(sock_addr_key(sa(), key), 16);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", want), 1);
	ck_assert_int_eq(memcmp(key, want, 16), 0);
	ck_assert_int_eq(sock_addr_port(sa()), 443);
}
END_TEST

/* The longest there is: it fits SOCK_PEER_MAX whole. */
START_TEST(test_peer_v6_longest)
{
	char	 s[SOCK_PEER_MAX];

	v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 65535);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe]:65535");
}
END_TEST

/* An IPv4 client of a dual-stack listener shows, and counts, as IPv4. */
START_TEST(test_peer_mapped)
{
	unsigned char	 key[16];
	char		 s[SOCK_PEER_MAX];

	v6("::ffff:192.0.2.7", 99);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "192.0.2.7:99");
	sock_ip_str(sa(), s);
	ck_assert_str_eq(s, "192.0.2.7");
	ck_assert_uint_eq(sock_addr_key(sa(), key), 4);
	ck_assert_int_eq(memcmp(key, "\xc0\x00\x02\x07", 4), 0);
	/* IPv4-compatible (deprecated) and NAT64 are not mapped. */
	v6("64:ff9b::192.0.2.7", 99);
	ck_assert_uint_eq(sock_addr_key(sa(), key), 16);
	sock_peer_str(sa(), s);
	ck_assert_str_eq(s, "[64:ff9b::c000:207]:99");
}
END_TEST

START_TEST(test_peer_other_family)
{
	struct sockaddr_un	*u = (struct sockaddr_un *)&ss;
	unsigned char		 key[16];
	char			 s[SOCK_PEER_MAX];

	memset(&ss, 0, sizeof(ss));
	u->sun_family = AF_UNIX;
	ck_assert_uint_eq(sock_addr_key(sa(), key), 0);
	ck_assert_int_eq(sock_addr_port(sa()), -1);
	sock_ip_str(sa(), s);
	ck_assert_str_eq(s, "unknown");
	sock_peer_str(sa(), s);
	ck_assert_int_eq(strncmp(s, "unknown", 7), 0);
}
END_TEST

START_TEST(test_flags)
{
	int	 p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(sock_cloexec(p[0]), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(sock_cloexec(p[0]), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(sock_nonblock(p[0], 1), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	/* Other status flags are kept. */
	ck_assert_int_eq(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	ck_assert_int_eq(sock_nonblock(p[0], 0), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
	errno = 0;
	ck_assert_int_eq(sock_cloexec(-1), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(sock_nonblock(-1, 1), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

static int
opt(int fd, int level, int name)
{
	int		 v = -1;
	socklen_t	 len = sizeof(v);

	ck_assert_int_eq(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

/*
 * A listener on ip port 0, a client connected to it, the accepted end:
 * flags, ports and peer strings.  0, or -1 when the address cannot be
 * had here (no IPv6).
 */
static int
round_trip(const char *ip, int family, const char *fmt)
{
	struct sockaddr_storage	 peer;
	socklen_t		 plen = sizeof(peer);
	struct pollfd		 pfd;
	const char		*why = NULL;
	char			 got[SOCK_PEER_MAX], want[SOCK_PEER_MAX];
	int			 lfd, cfd, afd, port, low = lowest_free();

	ck_assert_int_eq(sock_resolve(ip, 0, SOCK_STREAM, &ss, &sslen, &why),
	    0);
	ck_assert_int_eq(ss.ss_family, family);
	if ((lfd = sock_bind(sa(), sslen, SOCK_STREAM, 8)) == -1) {
		ck_assert_msg(family == AF_INET6 && (errno == EADDRNOTAVAIL ||
		    errno == EAFNOSUPPORT), "sock_bind %s: %s", ip,
		    strerror(errno));
		return -1;
	}
	ck_assert_int_eq(fcntl(lfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(lfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	ck_assert_int_ne(opt(lfd, SOL_SOCKET, SO_REUSEADDR), 0);
	ck_assert_int_ne(opt(lfd, SOL_SOCKET, SO_ACCEPTCONN), 0);
	port = sock_local_port(lfd);
	ck_assert_int_gt(port, 0);
	ck_assert_int_lt(port, 65536);

	ck_assert_int_eq(sock_resolve(ip, port, SOCK_STREAM, &ss, &sslen,
	    &why), 0);
	cfd = sock_connect(sa(), sslen, SOCK_STREAM);
	ck_assert_int_ne(cfd, -1);
	ck_assert_int_eq(fcntl(cfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(cfd, F_GETFL) & O_NONBLOCK, 0);
	pfd.fd = lfd;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
	afd = accept(lfd, (struct sockaddr *)&peer, &plen);
	ck_assert_int_ne(afd, -1);
	sock_peer_str((struct sockaddr *)&peer, got);
	snprintf(want, sizeof(want), fmt, sock_local_port(cfd));
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(sock_addr_port((struct sockaddr *)&peer),
	    sock_local_port(cfd));
	ck_assert_int_eq(write(cfd, "x", 1), 1);
	ck_assert_int_eq(read(afd, got, sizeof(got)), 1);
	close(afd);
	close(cfd);
	close(lfd);
	ck_assert_int_eq(lowest_free(), low);
	return 0;
}

START_TEST(test_tcp_v4)
{
	ck_assert_int_eq(round_trip("127.0.0.1", AF_INET, "127.0.0.1:%d"), 0);
}
END_TEST

START_TEST(test_tcp_v6)
{
	/* Without IPv6 on this host there is nothing to test. */
	(void)round_trip("::1", AF_INET6, "[::1]:%d");
}
END_TEST

START_TEST(test_udp)
{
	const char	*why = NULL;
	char		 b[8];
	int		 sfd, cfd, port;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 0, SOCK_DGRAM, &ss, &sslen,
	    &why), 0);
	sfd = sock_bind(sa(), sslen, SOCK_DGRAM, 0);
	ck_assert_int_ne(sfd, -1);
	/* No SO_REUSEADDR for UDP: two servers must not share a port. */
	ck_assert_int_eq(opt(sfd, SOL_SOCKET, SO_REUSEADDR), 0);
	ck_assert_int_eq(fcntl(sfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(sfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	port = sock_local_port(sfd);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(sock_resolve("127.0.0.1", port, SOCK_DGRAM, &ss,
	    &sslen, &why), 0);
	cfd = sock_connect(sa(), sslen, SOCK_DGRAM);
	ck_assert_int_ne(cfd, -1);
	ck_assert_int_eq(write(cfd, "ping", 4), 4);
	ck_assert_int_eq(sock_nonblock(sfd, 0), 0);
	ck_assert_int_eq(read(sfd, b, sizeof(b)), 4);
	ck_assert_int_eq(memcmp(b, "ping", 4), 0);
	/* The port is taken: a second bind fails, leaking nothing. */
	errno = 0;
	ck_assert_int_eq(sock_bind(sa(), sslen, SOCK_DGRAM, 0), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	close(cfd);
	close(sfd);
}
END_TEST

/* Failures close what they opened and keep their errno. */
START_TEST(test_bind_in_use)
{
	const char	*why = NULL;
	int		 lfd, low, port;

	ck_assert_int_eq(sock_resolve("127.0.0.1", 0, SOCK_STREAM, &ss,
	    &sslen, &why), 0);
	lfd = sock_bind(sa(), sslen, SOCK_STREAM, 8);
	ck_assert_int_ne(lfd, -1);
	port = sock_local_port(lfd);
	ck_assert_int_eq(sock_resolve("127.0.0.1", port, SOCK_STREAM, &ss,
	    &sslen, &why), 0);
	low = lowest_free();
	errno = 0;
	ck_assert_int_eq(sock_bind(sa(), sslen, SOCK_STREAM, 8), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	ck_assert_int_eq(lowest_free(), low);
	close(lfd);
	low = lowest_free();
	/* Nothing listens there now. */
	errno = 0;
	ck_assert_int_eq(sock_connect(sa(), sslen, SOCK_STREAM), -1);
	ck_assert_int_eq(errno, ECONNREFUSED);
	ck_assert_int_eq(lowest_free(), low);
}
END_TEST

START_TEST(test_local_port_errors)
{
	int	 sv[2];

	ck_assert_int_eq(sock_local_port(-1), -1);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(sock_local_port(sv[0]), -1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

Suite *
sock_suite(void)
{
	Suite	*s = suite_create("sock");
	TCase	*tc;

	tc = tcase_create("Core");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_resolve_v4);
	tcase_add_test(tc, test_resolve_v6);
	tcase_add_test(tc, test_peer_v4);
	tcase_add_test(tc, test_peer_v6);
	tcase_add_test(tc, test_peer_mapped);
	tcase_add_test(tc, test_flags);
	tcase_add_test(tc, test_tcp_v4);
	tcase_add_test(tc, test_tcp_v6);
	tcase_add_test(tc, test_udp);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_set_timeout(tc, 5);
	tcase_add_test(tc, test_resolve_fails);
	tcase_add_test(tc, test_peer_v6_longest);
	tcase_add_test(tc, test_peer_other_family);
	tcase_add_test(tc, test_bind_in_use);
	tcase_add_test(tc, test_local_port_errors);
	suite_add_tcase(s, tc);
	return s;
}
