/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim6 wire format (RFC 5533 §5, RFC 5534 §5): encode and decode every
 * control message and option, and the 8-byte payload extension header.
 *
 * Decoding never trusts a length.  shim6_msg_decode() checks the common
 * header, the checksum, the type's fixed part and every option, and either
 * fills a struct shim6_msg or returns -SHIM6_WERR_* with a struct
 * shim6_wire_diag saying where (byte offset from the first byte of the
 * Shim6 header) and why.  A decoded message points into the caller's buffer
 * (option contents, locators, the Error message's packet in error): keep the
 * buffer alive as long as the message.
 *
 * Encoding takes the same struct: shim6_msg_init(), fill the type's fields,
 * add options with the shim6_msg_add_*() helpers, shim6_msg_encode() into a
 * caller buffer.  The encoder computes Hdr Ext Len, padding and checksum.
 *
 *   struct shim6_msg m;
 *   shim6_msg_init(&m, SHIM6_TYPE_R1);
 *   m.r1.init_nonce = i1.i1.init_nonce;
 *   m.r1.resp_nonce = nonce;
 *   shim6_msg_add_validator(&m, hmac, 20);
 *   len = shim6_msg_encode(&m, buf, sizeof(buf));   // bytes or -SHIM6_WERR_*
 *
 *   err = shim6_msg_decode(pkt, n, 0, &m, &diag);
 *   if (err == -SHIM6_WERR_OPT_CRITICAL)            // send Error code 1,
 *           ...diag.rfc_code, diag.offset...        // Pointer = diag.offset
 *   v = shim6_msg_find_opt(&m, SHIM6_OPT_RESP_VALIDATOR);
 */
#ifndef SHIM6_WIRE_H
#define SHIM6_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SHIM6_IPPROTO 140     /* IP protocol number of every Shim6 header */
#define SHIM6_NO_NXT_HDR 59   /* Next Header of control messages */
/* Context tags are 47 bits; spelled exactly as in bpf/shim6_shared.h so both can be included. */
#define SHIM6_TAG_BITS		47
#define SHIM6_TAG_MASK		((1ULL << SHIM6_TAG_BITS) - 1)
#define SHIM6_PAYLOAD_HDR_LEN 8
#define SHIM6_COMMON_LEN 8    /* bytes every Shim6 header has */
#define SHIM6_MAX_HDR_LEN 2048 /* (255 + 1) * 8 */
#define SHIM6_MAX_OPTS 32     /* options kept per message (more: error) */
#define SHIM6_MAX_PROBES 15   /* Psent and Precvd are 4-bit counts */
#define SHIM6_MIN_MTU 1280    /* signalling packets stay within it (§5.1) */

/* Message types (RFC 5533 Table 1, RFC 5534 §5). */
enum shim6_msg_type {
	SHIM6_TYPE_I1 = 1,
	SHIM6_TYPE_R1 = 2,
	SHIM6_TYPE_I2 = 3,
	SHIM6_TYPE_R2 = 4,
	SHIM6_TYPE_R1BIS = 5,
	SHIM6_TYPE_I2BIS = 6,
	SHIM6_TYPE_UPDATE_REQ = 64,
	SHIM6_TYPE_UPDATE_ACK = 65,
	SHIM6_TYPE_KEEPALIVE = 66,
	SHIM6_TYPE_PROBE = 67,
	SHIM6_TYPE_ERROR = 68,
};

/* Option types (RFC 5533 Table 3, RFC 5534 §5.3). */
enum shim6_opt_type {
	SHIM6_OPT_RESP_VALIDATOR = 1,
	SHIM6_OPT_LOC_LIST = 2,
	SHIM6_OPT_LOC_PREF = 3,
	SHIM6_OPT_CGA_PDS = 4,
	SHIM6_OPT_CGA_SIG = 5,
	SHIM6_OPT_ULID_PAIR = 6,
	SHIM6_OPT_FII = 7,
	SHIM6_OPT_KA_TIMEOUT = 10,
};

/* Error message codes (RFC 5533 Table 2). */
enum shim6_error_code {
	SHIM6_ERR_UNKNOWN_TYPE = 0,
	SHIM6_ERR_CRITICAL_OPT = 1,
	SHIM6_ERR_VERIF_METHOD = 2,
	SHIM6_ERR_GEN_OUT_OF_SYNC = 3,
	SHIM6_ERR_LOC_COUNT = 4,
};

/* Locator verification methods: RFC 5533 §5.15.2 Table 4 (not §17's swap). */
enum shim6_verif_method {
	SHIM6_VERIF_HBA = 1,
	SHIM6_VERIF_CGA = 2,
};

/* Locator Preferences flags (§5.15.3). */
#define SHIM6_LOCPREF_BROKEN 0x01
#define SHIM6_LOCPREF_TRANSIENT 0x02

/* REAP states carried in the Probe's Sta field (RFC 5534 §5.2). */
enum shim6_probe_state {
	SHIM6_PROBE_OPERATIONAL = 0,
	SHIM6_PROBE_EXPLORING = 1,
	SHIM6_PROBE_INBOUND_OK = 2,
};

/*
 * Decoding and encoding errors.  Stable values: append only, never renumber
 * (tests, JSON output and shim6d counters use them).  Functions return the
 * negative value.
 */
enum shim6_wire_err {
	SHIM6_WIRE_OK = 0,
	SHIM6_WERR_TRUNC_COMMON = 1,     /* fewer than 8 bytes: no common header */
	SHIM6_WERR_HDRLEN_PAST_END = 2,  /* (Hdr Ext Len + 1) * 8 exceeds the data */
	SHIM6_WERR_HDRLEN_TOO_SMALL = 3, /* Hdr Ext Len below the type's minimum */
	SHIM6_WERR_PAYLOAD_HDRLEN = 4,   /* P=1 header with Hdr Ext Len != 0 */
	SHIM6_WERR_NOT_CONTROL = 5,      /* P=1: a payload header, not a control message */
	SHIM6_WERR_NOT_PAYLOAD = 6,      /* P=0: a control message, not a payload header */
	SHIM6_WERR_S_BIT = 7,            /* S=1: a HIP-format message, not Shim6 */
	SHIM6_WERR_CHECKSUM = 8,         /* checksum does not verify */
	SHIM6_WERR_UNKNOWN_TYPE = 9,     /* unknown message type (Error code 0) */
	SHIM6_WERR_OPT_TRUNC = 10,       /* fewer than 4 bytes left for an option header */
	SHIM6_WERR_OPT_PAST_END = 11,    /* option Length + padding runs past the header */
	SHIM6_WERR_OPT_PADDING = 12,     /* non-zero padding (only with SHIM6_DEC_STRICT) */
	SHIM6_WERR_OPT_CRITICAL = 13,    /* unknown option with C=1 (Error code 1) */
	SHIM6_WERR_OPT_LEN = 14,         /* option Length invalid for its type */
	SHIM6_WERR_OPT_DUPLICATE = 15,   /* the same option twice in one message */
	SHIM6_WERR_OPT_MISSING = 16,     /* a MUST option is absent (validator in R1/I2) */
	SHIM6_WERR_TOO_MANY_OPTS = 17,   /* more than SHIM6_MAX_OPTS options */
	SHIM6_WERR_LOCLIST_EMPTY = 18,   /* Num Locators is 0 */
	SHIM6_WERR_LOCLIST_COUNT = 19,   /* Num Locators does not fit the option Length */
	SHIM6_WERR_LOCPREF_ELEMLEN = 20, /* Element Len is 0 */
	SHIM6_WERR_LOCPREF_COUNT = 21,   /* element bytes not a positive multiple of Element Len */
	SHIM6_WERR_LOCPREF_MISMATCH = 22,/* preferences count != locators, same generation (code 4) */
	SHIM6_WERR_PROBE_PSENT = 23,     /* Psent is 0 (the current probe must be present) */
	SHIM6_WERR_PROBE_REPORTS = 24,   /* (Psent + Precvd) reports do not fit Hdr Ext Len */
	SHIM6_WERR_PROBE_STATE = 25,     /* Sta is 3 (only 0, 1, 2 are legal) */
	SHIM6_WERR_NOSPACE = 40,         /* encode: the output buffer is too small */
	SHIM6_WERR_INVALID = 41,         /* encode: a field is out of range */
	SHIM6_WERR_MAX_ = 42,
};

/* Warnings: the message decodes but shows something a sender MUST NOT do. */
#define SHIM6_WARN_NEXT_HDR 0x01    /* control message with Next Header != 59 */
#define SHIM6_WARN_RESERVED 0x02    /* a reserved field is non-zero (ignored) */
#define SHIM6_WARN_PADDING 0x04     /* option padding is non-zero (ignored) */
#define SHIM6_WARN_IGNORED_OPT 0x08 /* an unknown or misplaced C=0 option was skipped */

/* shim6_msg_decode() flags. */
#define SHIM6_DEC_NO_CSUM 0x01 /* do not verify the checksum */
#define SHIM6_DEC_STRICT 0x02  /* non-zero padding is an error, not a warning */

/* Where and why decoding failed. */
struct shim6_wire_diag {
	int err;           /* SHIM6_WERR_* (positive), 0 when decoding succeeded */
	uint32_t offset;   /* offset of the defect from the Shim6 header's first byte
			    * (a missing option: the end of the header) */
	int rfc_code;      /* Error message code to send back (Table 2), or -1 */
	uint8_t msg_type;  /* message type, 0 if not reached */
	uint16_t opt_type; /* option involved, 0 if none */
	uint32_t got, want; /* the numbers behind the error (lengths, checksums...) */
};

/* Option flags. */
#define SHIM6_OPTF_TYPED 0x01    /* the typed view (u) is valid */
#define SHIM6_OPTF_IGNORED 0x02  /* C=0 and unknown or not defined for this type */
#define SHIM6_OPTF_PAD_NONZERO 0x04

struct shim6_opt_loclist {
	uint32_t gen;		  /* Locator List Generation */
	uint8_t count;		  /* Num Locators */
	const uint8_t *methods;	  /* count verification method octets */
	const uint8_t *locators;  /* count * 16 bytes */
};

struct shim6_opt_locpref {
	uint32_t gen;
	uint8_t elem_len;         /* 1: flags; 2: + priority; 3: + weight */
	uint16_t count;           /* number of elements */
	const uint8_t *elems;     /* count * elem_len bytes */
};

struct shim6_opt_ulid_pair {
	uint8_t sender[16];
	uint8_t receiver[16];
};

/*
 * One option.  data/len are the Contents (without padding) and always valid
 * after decoding; for Responder Validator, CGA PDS and CGA Signature they are
 * the whole value.  When SHIM6_OPTF_TYPED is set, u holds the decoded fields
 * and the encoder writes from u; otherwise the encoder writes data/len.
 */
struct shim6_opt {
	uint16_t type;     /* 15-bit option type */
	bool critical;     /* C bit */
	uint8_t flags;     /* SHIM6_OPTF_* */
	uint16_t offset;   /* decode: offset of the option's Type field */
	uint16_t len;      /* Length field: the Contents' length */
	const uint8_t *data;
	union {
		struct shim6_opt_loclist loclist;
		struct shim6_opt_locpref locpref;
		struct shim6_opt_ulid_pair ulid;
		uint32_t fii;         /* Forked Instance Identifier */
		uint16_t ka_timeout;  /* Keepalive Timeout, seconds */
	} u;
};

struct shim6_probe_report {
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t nonce;
	uint32_t data;
};

/* A control message.  Field names follow the RFC figures. */
struct shim6_msg {
	uint8_t type;        /* enum shim6_msg_type */
	uint8_t next_hdr;    /* 59 (shim6_msg_init) */
	uint8_t hdr_ext_len; /* decode: as received */
	uint16_t checksum;   /* decode: as received */
	uint16_t length;     /* decode: header bytes, (Hdr Ext Len + 1) * 8 */
	uint32_t warnings;   /* decode: SHIM6_WARN_* */
	union {
		struct { uint64_t init_tag; uint32_t init_nonce; } i1;
		struct { uint32_t init_nonce, resp_nonce; } r1;
		struct { uint64_t init_tag; uint32_t init_nonce, resp_nonce; } i2;
		struct { uint64_t resp_tag; uint32_t init_nonce; } r2;
		struct { uint64_t pkt_tag; uint32_t resp_nonce; } r1bis;
		struct {
			uint64_t init_tag;
			uint32_t init_nonce, resp_nonce;
			uint64_t pkt_tag;
		} i2bis;
		/* Update Request and Update Acknowledgement */
		struct { uint64_t recv_tag; uint32_t req_nonce; } update;
		struct { uint64_t recv_tag; } keepalive;
		struct {
			uint64_t recv_tag;
			uint8_t state;	/* enum shim6_probe_state */
			uint8_t psent, precvd;
			struct shim6_probe_report sent[SHIM6_MAX_PROBES];
			struct shim6_probe_report recvd[SHIM6_MAX_PROBES];
		} probe;
		struct {
			uint8_t code;    /* enum shim6_error_code, 7 bits */
			uint16_t pointer;
			const uint8_t *data; /* packet in error (decode: with its padding) */
			uint16_t len;
		} error;
	};
	unsigned int nopts;
	struct shim6_opt opts[SHIM6_MAX_OPTS];
};

/* The 8-byte payload extension header (§5.2, P=1). */
struct shim6_payload_hdr {
	uint8_t next_hdr;
	uint64_t tag; /* Receiver Context Tag, 47 bits */
};

/* ---- messages (msg.c) ---- */
void shim6_msg_init(struct shim6_msg *m, uint8_t type);
/* 0 or -SHIM6_WERR_*; diag may be NULL. */
int shim6_msg_decode(const void *buf, size_t len, unsigned int flags, struct shim6_msg *m,
		     struct shim6_wire_diag *diag);
/* Bytes written, or -SHIM6_WERR_NOSPACE / -SHIM6_WERR_INVALID. */
ssize_t shim6_msg_encode(const struct shim6_msg *m, void *buf, size_t len);
/*
 * An Error message (§5.14) answering a packet whose decode failed with
 * diag->rfc_code >= 0.  pkt is the invoking packet from its IPv6 header, the
 * Shim6 header at shim6_off: Pointer = shim6_off + diag->offset, and the
 * packet in error is as much of pkt as keeps the Error message's IPv6 packet
 * within 1280 bytes.  m points into pkt.  0, or -SHIM6_WERR_INVALID when
 * the failure has no Error code (such packets are silently dropped).
 */
int shim6_msg_init_error(struct shim6_msg *m, const struct shim6_wire_diag *diag,
			 const void *pkt, size_t len, size_t shim6_off);
/* Minimum Hdr Ext Len of a type (RFC figures), -1 if the type is unknown. */
int shim6_msg_min_hdrlen(uint8_t type);
/* First option of that type not flagged IGNORED, or NULL. */
const struct shim6_opt *shim6_msg_find_opt(const struct shim6_msg *m, uint16_t type);
/* Is the option defined for this message type (RFC 5533 §5.4-5.14, RFC 5534 §5.3)? */
bool shim6_opt_allowed(uint8_t msg_type, uint16_t opt_type);
/* Does (buf,len) start with a payload extension header (P=1)?  False if len < 3. */
bool shim6_is_payload(const void *buf, size_t len);

/* ---- adding options for encoding (opt.c); 0 or -SHIM6_WERR_TOO_MANY_OPTS ---- */
int shim6_msg_add_validator(struct shim6_msg *m, const void *v, uint16_t len);
int shim6_msg_add_loclist(struct shim6_msg *m, uint32_t gen, uint8_t count,
			  const uint8_t *methods, const uint8_t (*locators)[16]);
int shim6_msg_add_locpref(struct shim6_msg *m, uint32_t gen, uint8_t elem_len, uint16_t count,
			  const uint8_t *elems);
int shim6_msg_add_cga_pds(struct shim6_msg *m, const void *pds, uint16_t len);
int shim6_msg_add_cga_sig(struct shim6_msg *m, const void *sig, uint16_t len);
int shim6_msg_add_ulid_pair(struct shim6_msg *m, const uint8_t sender[16],
			    const uint8_t receiver[16]);
int shim6_msg_add_fii(struct shim6_msg *m, uint32_t fii);
int shim6_msg_add_ka_timeout(struct shim6_msg *m, uint16_t seconds);
/* Any option as raw Contents (unknown types, tests). */
int shim6_msg_add_raw(struct shim6_msg *m, uint16_t type, bool critical, const void *data,
		      uint16_t len);

/* Option helpers. */
static inline unsigned int shim6_opt_total_len(unsigned int len) /* with header and padding */
{
	return (4 + len + 7) & ~7u;
}
const uint8_t *shim6_loclist_locator(const struct shim6_opt_loclist *l, unsigned int i);
/* Element i's flags, priority (0 if elem_len < 2), weight (0 if elem_len < 3). */
void shim6_locpref_get(const struct shim6_opt_locpref *p, unsigned int i, uint8_t *flags,
		       uint8_t *priority, uint8_t *weight);

/* ---- payload extension header (payload.c) ---- */
int shim6_payload_decode(const void *buf, size_t len, struct shim6_payload_hdr *ph,
			 struct shim6_wire_diag *diag);
/* Writes 8 bytes; returns 8, -SHIM6_WERR_NOSPACE or -SHIM6_WERR_INVALID (tag > 47 bits). */
ssize_t shim6_payload_encode(const struct shim6_payload_hdr *ph, void *buf, size_t len);

/* ---- locating the Shim6 header in an IPv6 packet (ip6.c) ---- */
struct shim6_ip6_loc {
	size_t shim6_off;  /* offset of the Shim6 header from the IPv6 header */
	size_t shim6_len;  /* bytes from there to the end of the IPv6 packet */
	const char *why;   /* when not found: why ("non-first fragment", ...) */
};
/*
 * pkt starts with an IPv6 header.  Walks Hop-by-Hop, Routing, Destination
 * Options, Fragment (first fragments only), AH and IPv6-in-IPv6 to Next
 * Header 140, bounded by the Payload Length and by len.  0 or -ENOENT.
 */
int shim6_ip6_find(const void *pkt, size_t len, struct shim6_ip6_loc *loc);

/* ---- checksum (csum.c) ---- */
/* One's complement of the one's complement sum of len bytes (RFC 5533 §5.3, no pseudo-header). */
uint16_t shim6_csum(const void *buf, size_t len);
/* Fill the Checksum field (bytes 4-5) of a header of len bytes. */
void shim6_csum_set(void *buf, size_t len);
/* Does the header's checksum verify? */
bool shim6_csum_ok(const void *buf, size_t len);

/* ---- names and reasons (err.c) ---- */
const char *shim6_wire_strerror(int err);  /* one sentence; err positive or negative */
const char *shim6_wire_errname(int err);   /* snake_case identifier for JSON */
/* The precise reason with numbers and offset, e.g. "bad checksum at offset 4: ...". */
int shim6_wire_diag_format(const struct shim6_wire_diag *d, char *buf, size_t size);
const char *shim6_msg_type_name(uint8_t type);     /* "I1", "Update Request"; NULL if unknown */
const char *shim6_opt_type_name(uint16_t type);    /* "Locator List"; NULL if unknown */
const char *shim6_error_code_name(uint8_t code);   /* Table 2; NULL if unknown */
const char *shim6_verif_method_name(uint8_t m);    /* "HBA", "CGA", "reserved", ... */
const char *shim6_probe_state_name(uint8_t state); /* "Operational"...; NULL if 3 */

#endif
