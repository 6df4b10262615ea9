/*
 * frame: the length-prefixed codec of frame mode (forkc).  A frame is a
 * 4-byte big-endian payload length followed by the payload.  Pure and
 * zero-copy: the decoder points into the caller's buffer.
 */
#ifndef FRAME_H
#define FRAME_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Decode one frame from buf[0..len).  Returns the bytes it spans (header
 * plus payload) and sets *payload / *plen; 0 when more bytes are needed;
 * -1 with errno EMSGSIZE when the prefix announces more than max bytes
 * (decided from the prefix alone, so nothing oversize is ever buffered).
 */
ssize_t	frame_decode(const void *buf, size_t len, size_t max,
	    const unsigned char **payload, size_t *plen);
/* Write the 4-byte header announcing n payload bytes. */
void	frame_header(unsigned char hdr[4], uint32_t n);

#endif
