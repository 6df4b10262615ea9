/*
 * frame: 4-byte big-endian length prefix, then the payload.  The length
 * is checked against the cap before anything else, so a hostile prefix
 * (say 2 GiB) costs nothing but the four bytes that announced it.
 */
#include <errno.h>

#include "frame.h"
#include "proto.h"

ssize_t
frame_decode(const void *buf, size_t len, size_t max,
    const unsigned char **payload, size_t *plen)
{
	const unsigned char	*p = buf;
	uint32_t		 n;

	if (len < PROTO_FRAME_HDR)
		return 0;
	n = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
	if (n > max) {
		errno = EMSGSIZE;
		return -1;
	}
	if (len - PROTO_FRAME_HDR < n)
		return 0;
	*payload = p + PROTO_FRAME_HDR;
	*plen = n;
	return (ssize_t)(PROTO_FRAME_HDR + n);
}

void
frame_header(unsigned char hdr[4], uint32_t n)
{
	hdr[0] = (unsigned char)(n >> 24);
	hdr[1] = (unsigned char)(n >> 16);
	hdr[2] = (unsigned char)(n >> 8);
	hdr[3] = (unsigned char)n;
}
