/*
 * fuzz_frame: the frame decoder against arbitrary bytes.  Input byte 0
 * picks the frame cap, byte 1 the chunking, the rest is the stream.  It is
 * decoded whole, then as a reader would, in pseudo-random chunks
 * accumulating in a buffer; every call's result must be sane and both
 * decodings must yield the same frames and the same error, at the same
 * offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz.h"

const char fuzz_name[] = "frame";

/* What a decoding produced: each frame as its header then its payload. */
struct result {
	unsigned char	*log;
	size_t		 len;
	int		 error;		/* ended with -1 EMSGSIZE */
	size_t		 consumed;	/* bytes of whole frames decoded */
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/*
 * Decode every whole frame of buf[0..len), which ends where the buffer's
 * allocation ends (so an over-read is an ASan report).  Returns the bytes
 * consumed; sets r->error at an oversize prefix.
 */
static size_t
drain(struct result *r, const unsigned char *buf, size_t len, size_t max)
{
	const unsigned char	*payload;
	unsigned char		 hdr[4];
	size_t			 off = 0, plen;
	ssize_t			 n;

	while (!r->error) {
		payload = NULL;
		plen = (size_t)-1;
		errno = 0;
		n = frame_decode(buf + off, len - off, max, &payload, &plen);
		FUZZ_ASSERT(n >= -1);
		if (n == -1) {
			FUZZ_ASSERT(errno == EMSGSIZE);
			FUZZ_ASSERT(len - off >= 4);
			FUZZ_ASSERT(be32(buf + off) > max);
			r->error = 1;
			break;
		}
		FUZZ_ASSERT((size_t)n <= len - off);
		if (n == 0) {
			FUZZ_ASSERT(len - off < 4 ||
			    (be32(buf + off) <= max &&
			    len - off - 4 < be32(buf + off)));
			break;
		}
		FUZZ_ASSERT(n >= 4);
		FUZZ_ASSERT(plen == (size_t)n - 4);
		FUZZ_ASSERT(plen <= max);
		FUZZ_ASSERT(plen == be32(buf + off));
		FUZZ_ASSERT(payload == buf + off + 4);
		frame_header(hdr, (uint32_t)plen);
		FUZZ_ASSERT(memcmp(hdr, buf + off, 4) == 0);
		memcpy(r->log + r->len, buf + off, (size_t)n);
		r->len += (size_t)n;
		off += (size_t)n;
	}
	r->consumed += off;
	return off;
}

/* The whole input as one exact-size buffer. */
static void
decode_whole(struct result *r, const unsigned char *in, size_t n, size_t max)
{
	unsigned char	*buf;

	if (n == 0) {
		drain(r, in, 0, max);
		return;
	}
	if ((buf = malloc(n)) == NULL)
		abort();
	memcpy(buf, in, n);
	drain(r, buf, n, max);
	free(buf);
}

/*
 * As a reader would: chunks appended to a buffer, whole frames taken from
 * its front.  The pending bytes are kept at the end of the allocation so
 * that reading past them is an ASan report here too.
 */
static void
decode_split(struct result *r, const unsigned char *in, size_t n, size_t max,
    struct fuzz_chunks *chunks)
{
	unsigned char	*buf;
	size_t		 off, k, pend = 0;

	if ((buf = malloc(n)) == NULL && n > 0)
		abort();
	for (off = 0; off < n && !r->error; off += k) {
		k = fuzz_chunk(chunks);
		if (k > n - off)
			k = n - off;
		memmove(buf + n - pend - k, buf + n - pend, pend);
		memcpy(buf + n - k, in + off, k);
		pend += k;
		pend -= drain(r, buf + n - pend, pend, max);
	}
	FUZZ_ASSERT(r->error || r->consumed + pend == n);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_chunks	 chunks;
	struct result		 whole, split;
	size_t			 max;

	if (size < 2)
		return 0;
	/* Small caps reach EMSGSIZE; 1 MiB is forkd's default. */
	if (data[0] < 0x80)
		max = data[0] % 48;
	else if (data[0] < 0xf0)
		max = 1024 * 1024;
	else
		max = (size_t)-1;
	fuzz_chunks_init(&chunks, (uint32_t)data[0] << 8 | data[1]);
	data += 2;
	size -= 2;

	memset(&whole, 0, sizeof(whole));
	memset(&split, 0, sizeof(split));
	if ((whole.log = malloc(size + 1)) == NULL ||
	    (split.log = malloc(size + 1)) == NULL)
		abort();
	decode_whole(&whole, data, size, max);
	decode_split(&split, data, size, max, &chunks);
	FUZZ_ASSERT(whole.len == split.len);
	FUZZ_ASSERT(memcmp(whole.log, split.log, whole.len) == 0);
	FUZZ_ASSERT(whole.error == split.error);
	FUZZ_ASSERT(whole.consumed == split.consumed);
	free(whole.log);
	free(split.log);
	return 0;
}
