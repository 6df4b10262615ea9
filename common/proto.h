/*
 * Wire constants shared by forkd and forkc: ports, size caps, the greeting
 * and the fixed error texts.  Both sides include this one header so the
 * protocol cannot drift between them.  docs/PROTOCOL.md is the prose.
 */
#ifndef PROTO_H
#define PROTO_H

#define FORKD_VERSION		"0.1.0"

#define PROTO_DEFAULT_PORT	8007		/* 8000 + 7, the echo port */
#define PROTO_DEFAULT_HOST	"127.0.0.1"
#define PROTO_MAX_LINE		8192		/* default --max-line */
#define PROTO_MAX_FRAME		(1024 * 1024)	/* default --max-frame */
#define PROTO_FRAME_LIMIT	(16 * 1024 * 1024) /* frames are < 16 MiB */
#define PROTO_FRAME_HDR		4		/* big-endian payload length */
#define PROTO_UDP_MAX_REPLY	512		/* no amplification */
#define PROTO_UDP_MAX_DGRAM	65535
#define PROTO_SLEEP_MAX_MS	10000

#define PROTO_GREETING		"+OK forkd ready"
/* Texts of the fixed -ERR replies (the "-ERR " is added by the encoder). */
#define PROTO_BUSY		"server busy"
#define PROTO_SHUTDOWN		"server shutting down"
#define PROTO_IDLE		"idle timeout"
#define PROTO_REQ_TIMEOUT	"request timeout"

#endif
