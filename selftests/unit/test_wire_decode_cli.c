// SPDX-License-Identifier: GPL-2.0
/*
 * `shim6ctl decode` end to end: the built binary is run on the tshark probe
 * capture (raw IPv6, 9 Shim6 frames), on an Ethernet capture written here
 * (802.1Q tag, extension-header chain, Ethernet padding, skipped frames) and
 * on hex inputs; its exit status and JSON are checked.
 */
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selftests/unit/wire_test.h"

#define PROBE_PCAP "selftests/unit/data/shim6_tshark4.0_probe.pcap"

/* shim6ctl next to the unit_tests binary (.output/) or one level up (.output/asan/). */
static const char *find_shim6ctl(void)
{
	static char path[PATH_MAX + 32];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *dir;

	if (n < 0)
		return NULL;
	exe[n] = '\0';
	dir = dirname(exe);
	snprintf(path, sizeof(path), "%s/shim6ctl", dir);
	if (access(path, X_OK) == 0)
		return path;
	snprintf(path, sizeof(path), "%s/../shim6ctl", dir);
	return access(path, X_OK) == 0 ? path : NULL;
}

/* Run a command; returns its stdout (malloc'd) and exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *f = popen(cmd, "r");
	size_t cap = 4096, n = 0, r;
	char *out = malloc(cap);

	*status = -1;
	if (!f || !out) {
		free(out);
		if (f)
			pclose(f);
		return NULL;
	}
	while ((r = fread(out + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n < 2) {
			char *bigger = realloc(out, cap * 2);

			if (!bigger)
				break;
			out = bigger;
			cap *= 2;
		}
	}
	out[n] = '\0';
	r = (size_t)pclose(f);
	*status = WIFEXITED((int)r) ? WEXITSTATUS((int)r) : -1;
	return out;
}

static json_t *run_json(const char *ctl, const char *args, int *status)
{
	char cmd[PATH_MAX + 512];
	json_error_t jerr;
	json_t *j;
	char *out;

	snprintf(cmd, sizeof(cmd), "'%s' -j decode %s", ctl, args);
	out = run(cmd, status);
	if (!out)
		return NULL;
	j = json_loads(out, 0, &jerr);
	if (!j)
		runner_fail(__FILE__, __LINE__, "not JSON (%s): %.200s", jerr.text, out);
	free(out);
	return j;
}

static const char *jstr(json_t *o, const char *path)
{
	json_t *v = json_object_get(o, path);

	return json_is_string(v) ? json_string_value(v) : "(missing)";
}

static long long jint(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* frames[i].shim6 */
static json_t *frame_shim6(json_t *root, size_t i)
{
	return json_object_get(json_array_get(json_object_get(root, "frames"), i), "shim6");
}

TEST(decode_cli_probe_pcap)
{
	const char *ctl = find_shim6ctl();
	json_t *root, *s, *o;
	char args[PATH_MAX];
	int status;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	if (access(PROBE_PCAP, R_OK)) {
		SKIP("%s not found: run from the repository root", PROBE_PCAP);
		return;
	}
	snprintf(args, sizeof(args), "pcap %s", PROBE_PCAP);
	root = run_json(ctl, args, &status);
	if (!ASSERT_OK_PTR(root, "JSON output"))
		return;
	SUBTEST("exit status and summary");
	ASSERT_EQ(status, 1, "exit 1: two frames are malformed");
	ASSERT_EQ(jint(root, "frames_read"), 9, "frames");
	ASSERT_EQ(jint(root, "shim6_headers"), 9, "Shim6 headers");
	ASSERT_EQ(jint(root, "malformed"), 2, "malformed");

	SUBTEST("frame 1: I1");
	s = frame_shim6(root, 0);
	ASSERT_STREQ(jstr(s, "type_name"), "I1", "type");
	ASSERT_STREQ(jstr(s, "initiator_context_tag"), "0x123456789abc", "tag");
	ASSERT_STREQ(jstr(s, "initiator_nonce"), "0xdeadbeef", "nonce");
	SUBTEST("frame 2: bad checksum");
	s = frame_shim6(root, 1);
	ASSERT_TRUE(json_is_false(json_object_get(s, "valid")), "invalid");
	ASSERT_STREQ(jstr(s, "defect"), "bad_checksum", "defect");
	ASSERT_EQ(jint(s, "defect_offset"), 4, "offset");
	ASSERT_TRUE(strstr(jstr(s, "reason"), "computed 0x22f8") != NULL, "computed checksum named");
	SUBTEST("frame 3: I1 with ULID Pair");
	o = json_array_get(json_object_get(frame_shim6(root, 2), "options"), 0);
	ASSERT_STREQ(jstr(o, "name"), "ULID Pair", "option");
	ASSERT_STREQ(jstr(o, "receiver_ulid"), "2001:db8:2::2", "receiver ULID");
	SUBTEST("frame 4: R1 with validator");
	s = frame_shim6(root, 3);
	ASSERT_STREQ(jstr(s, "type_name"), "R1", "type");
	o = json_array_get(json_object_get(s, "options"), 0);
	ASSERT_STREQ(jstr(o, "validator"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "validator");
	SUBTEST("frame 5: Keepalive, KA Timeout option ignored");
	s = frame_shim6(root, 4);
	ASSERT_STREQ(jstr(s, "type_name"), "Keepalive", "type");
	o = json_array_get(json_object_get(s, "options"), 0);
	ASSERT_TRUE(json_is_true(json_object_get(o, "ignored")), "ignored");
	ASSERT_EQ(jint(o, "keepalive_timeout"), 10, "value still shown");
	SUBTEST("frame 6: Probe with one report");
	s = frame_shim6(root, 5);
	ASSERT_STREQ(jstr(s, "state"), "Exploring", "Sta");
	o = json_array_get(json_object_get(s, "probes_sent"), 0);
	ASSERT_STREQ(jstr(o, "destination"), "2001:db8:2::2", "probe destination");
	ASSERT_STREQ(jstr(o, "nonce"), "0x7", "probe nonce");
	SUBTEST("frame 7: I2 with validator and locator list");
	s = frame_shim6(root, 6);
	o = json_array_get(json_object_get(s, "options"), 1);
	ASSERT_STREQ(jstr(o, "name"), "Locator List", "option 2");
	ASSERT_EQ(jint(o, "generation"), 5, "generation");
	o = json_array_get(json_object_get(o, "locators"), 1);
	ASSERT_STREQ(jstr(o, "address"), "2001:db8:3::1", "locator 2");
	ASSERT_STREQ(jstr(o, "verification_method_name"), "HBA", "method 1 is HBA");
	SUBTEST("frame 8: payload extension header");
	s = frame_shim6(root, 7);
	ASSERT_EQ(jint(s, "p"), 1, "P=1");
	ASSERT_EQ(jint(s, "next_header"), 17, "UDP");
	ASSERT_STREQ(jstr(s, "receiver_context_tag"), "0x123456789abc", "tag");
	SUBTEST("frame 9: truncated I1");
	s = frame_shim6(root, 8);
	ASSERT_STREQ(jstr(s, "defect"), "hdr_ext_len_past_end", "defect");
	ASSERT_STREQ(jstr(s, "type_name"), "I1", "still named");
	json_decref(root);

	SUBTEST("text output names each defect");
	{
		char cmd[PATH_MAX + 256], *out;

		snprintf(cmd, sizeof(cmd), "'%s' decode pcap %s", ctl, PROBE_PCAP);
		out = run(cmd, &status);
		if (ASSERT_OK_PTR(out, "output")) {
			ASSERT_TRUE(strstr(out, "MALFORMED I1 (type 1), 16 bytes: bad_checksum at offset 4") != NULL,
				    "frame 2 line");
			ASSERT_TRUE(strstr(out, "Hdr Ext Len 3 means 32 bytes but only 16 are present") != NULL,
				    "frame 9 line");
			ASSERT_TRUE(strstr(out, "9 frames, 9 Shim6 headers, 2 malformed") != NULL, "summary");
		}
		free(out);
	}
}

/* Append one frame to an open dumper. */
static void dump(pcap_dumper_t *d, const uint8_t *p, size_t n)
{
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };

	pcap_dump((u_char *)d, &h, p);
}

/* Ethernet + 802.1Q + IPv6 (src 2001:db8::a, dst 2001:db8::b), payload length plen, next nh. */
static size_t eth_ip6(uint8_t *p, bool vlan, uint16_t plen, uint8_t nh)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	size_t o = 12;

	memcpy(p, mac, 12);
	if (vlan) {
		p[o++] = 0x81, p[o++] = 0x00, p[o++] = 0x00, p[o++] = 0x07; /* VLAN 7 */
	}
	p[o++] = 0x86, p[o++] = 0xdd;
	memset(p + o, 0, 40);
	p[o] = 0x60;
	p[o + 4] = plen >> 8, p[o + 5] = plen & 0xff;
	p[o + 6] = nh;
	p[o + 7] = 64;
	p[o + 8] = 0x20, p[o + 9] = 0x01, p[o + 10] = 0x0d, p[o + 11] = 0xb8, p[o + 23] = 0x0a;
	p[o + 24] = 0x20, p[o + 25] = 0x01, p[o + 26] = 0x0d, p[o + 27] = 0xb8, p[o + 39] = 0x0b;
	return o + 40;
}

TEST(decode_cli_ethernet_pcap)
{
	/* R2, responder tag 0x42, nonce 1 (checksum fixed below). */
	uint8_t r2[16] = { 0x3b, 0x01, 0x04, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x42, 0, 0, 0, 1 };
	const char *ctl = find_shim6ctl();
	char path[] = "/tmp/shim6-decode-XXXXXX.pcap", args[PATH_MAX];
	uint8_t f[200];
	pcap_dumper_t *d;
	pcap_t *dead;
	json_t *root, *fr;
	size_t o;
	int fd, status;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	shim6_csum_set(r2, sizeof(r2));
	fd = mkstemps(path, 5);
	if (!ASSERT_TRUE(fd >= 0, "temp file"))
		return;
	close(fd);
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(dead, path);
	if (!ASSERT_OK_PTR(d, "pcap dumper")) {
		pcap_close(dead);
		unlink(path);
		return;
	}
	/* 1: VLAN, Hop-by-Hop (8) -> Fragment (offset 0) -> Destination Options (16) -> R2 */
	o = eth_ip6(f, true, 8 + 8 + 16 + 16, 0);
	memset(f + o, 0, 48);
	f[o] = 44;                    /* HBH: next Fragment, Hdr Ext Len 0 */
	f[o + 8] = 60;                /* Fragment: next DestOpts, offset 0, M=1 */
	f[o + 11] = 0x01;
	f[o + 16] = 140, f[o + 17] = 1; /* DestOpts: next Shim6, 16 bytes */
	memcpy(f + o + 32, r2, 16);
	dump(d, f, o + 48);
	/* 2: ARP: skipped */
	o = eth_ip6(f, false, 0, 0);
	f[12] = 0x08, f[13] = 0x06;
	dump(d, f, 60);
	/* 3: non-first fragment: skipped */
	o = eth_ip6(f, false, 16, 44);
	memset(f + o, 0, 16);
	f[o] = 140, f[o + 3] = 0x08; /* offset 1 */
	dump(d, f, o + 16);
	/* 4: R2 in a short Ethernet frame with a trailer: the padding is not part of the header */
	o = eth_ip6(f, false, 16, 140);
	memcpy(f + o, r2, 16);
	memset(f + o + 16, 0xee, 6); /* Ethernet trailer */
	dump(d, f, o + 22);
	pcap_dump_close(d);
	pcap_close(dead);

	snprintf(args, sizeof(args), "pcap %s", path);
	root = run_json(ctl, args, &status);
	unlink(path);
	if (!ASSERT_OK_PTR(root, "JSON output"))
		return;
	ASSERT_EQ(status, 0, "exit 0: every Shim6 header decoded");
	ASSERT_STREQ(jstr(root, "link_type"), "EN10MB", "link type");
	ASSERT_EQ(jint(root, "frames_read"), 4, "frames");
	ASSERT_EQ(jint(root, "shim6_headers"), 2, "Shim6 headers");
	ASSERT_EQ(jint(root, "skipped"), 2, "ARP and the non-first fragment");
	fr = json_array_get(json_object_get(root, "frames"), 0);
	ASSERT_EQ(jint(fr, "frame"), 1, "frame number");
	ASSERT_EQ(jint(fr, "shim6_offset"), 18 + 40 + 32, "after VLAN, IPv6, HBH, Frag, DestOpts");
	ASSERT_STREQ(jstr(fr, "src"), "2001:db8::a", "source");
	ASSERT_STREQ(jstr(json_object_get(fr, "shim6"), "responder_context_tag"), "0x42", "R2 tag");
	fr = json_array_get(json_object_get(root, "frames"), 1);
	ASSERT_EQ(jint(fr, "frame"), 4, "frame 4");
	ASSERT_TRUE(json_is_true(json_object_get(json_object_get(fr, "shim6"), "valid")),
		    "trailer excluded by Payload Length");
	json_decref(root);
}

TEST(decode_cli_hex)
{
	static const struct {
		const char *name, *args;
		int status;
		const char *key, *want;
	} rows[] = {
		{ "I1, plain hex", "hex 3b010100 22f8 123456789abc deadbeef", 0, "type_name", "I1" },
		{ "I1, colons", "hex 3b:01:01:00:22:f8:12:34:56:78:9a:bc:de:ad:be:ef", 0,
		  "initiator_nonce", "0xdeadbeef" },
		{ "payload header", "hex 0x1100923456789abc", 0, "receiver_context_tag",
		  "0x123456789abc" },
		{ "truncated", "hex 3b030100 22f8 123456789abc deadbeef", 1, "defect",
		  "hdr_ext_len_past_end" },
		{ "unknown critical option", "hex 3b020100 1818 000000000001 00000002 0013 0002 abcd0000",
		  1, "defect", "unknown_critical_option" },
		{ "unknown type", "hex 3b010700 bdfb 000000000001 00000002", 1, "defect",
		  "unknown_type" },
	};
	const char *ctl = find_shim6ctl();
	unsigned int i;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		int status;
		json_t *j;

		SUBTEST("%s", rows[i].name);
		j = run_json(ctl, rows[i].args, &status);
		if (!ASSERT_OK_PTR(j, "JSON"))
			continue;
		ASSERT_EQ(status, rows[i].status, "exit status");
		ASSERT_STREQ(jstr(j, rows[i].key), rows[i].want, rows[i].key);
		json_decref(j);
	}
	SUBTEST("critical option names Error code 1");
	{
		int status;
		json_t *j = run_json(ctl, rows[4].args, &status);

		if (ASSERT_OK_PTR(j, "JSON")) {
			ASSERT_EQ(jint(j, "rfc_error_code"), 1, "code 1");
			ASSERT_EQ(jint(j, "defect_offset"), 16, "Pointer at the option");
			json_decref(j);
		}
	}
	SUBTEST("not hex: exit 1 with a reason");
	{
		char cmd[PATH_MAX + 64], *out;
		int status;

		snprintf(cmd, sizeof(cmd), "'%s' decode hex 3b0z 2>&1", ctl);
		out = run(cmd, &status);
		ASSERT_EQ(status, 1, "exit status");
		ASSERT_TRUE(out && strstr(out, "is not hex") != NULL, "reason");
		free(out);
	}
}

static void to_hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* Every message type through the printer: built by the encoder, decoded by the CLI. */
TEST(decode_cli_every_type)
{
	static const uint8_t types[] = { 1, 2, 3, 4, 5, 6, 64, 65, 66, 67, 68 };
	static const uint8_t val[4] = { 1, 2, 3, 4 };
	static struct shim6_msg m;
	const char *ctl = find_shim6ctl();
	uint8_t out[SHIM6_MAX_HDR_LEN];
	char args[2 * SHIM6_MAX_HDR_LEN + 8];
	unsigned int i;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		int status;
		ssize_t n;
		json_t *j;

		shim6_msg_init(&m, types[i]);
		if (types[i] == SHIM6_TYPE_R1 || types[i] == SHIM6_TYPE_I2)
			shim6_msg_add_validator(&m, val, sizeof(val));
		if (types[i] == SHIM6_TYPE_PROBE)
			m.probe.psent = 1;
		if (types[i] == SHIM6_TYPE_ERROR)
			m.error.data = val, m.error.len = sizeof(val);
		SUBTEST("%s", shim6_msg_type_name(types[i]));
		n = shim6_msg_encode(&m, out, sizeof(out));
		if (!ASSERT_TRUE(n > 0, "encode"))
			continue;
		strcpy(args, "hex ");
		to_hex(out, (size_t)n, args + 4);
		j = run_json(ctl, args, &status);
		if (!ASSERT_OK_PTR(j, "JSON"))
			continue;
		ASSERT_EQ(status, 0, "exit status");
		ASSERT_STREQ(jstr(j, "type_name"), shim6_msg_type_name(types[i]), "type_name");
		ASSERT_EQ(jint(j, "length"), n, "length");
		json_decref(j);
	}
}

/* Every option through the printer, in one I2. */
TEST(decode_cli_every_option)
{
	static const uint8_t locs[2][16] = { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
					     { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
	static const uint8_t meth[2] = { SHIM6_VERIF_HBA, SHIM6_VERIF_CGA };
	static const uint8_t prefs[6] = { 0x01, 10, 20, 0x02, 30, 40 };
	static const uint8_t blob[5] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	static const char *const names[] = {
		"Responder Validator", "ULID Pair", "Forked Instance Identifier", "Locator List",
		"Locator Preferences", "CGA Parameter Data Structure", "CGA Signature",
		"Keepalive Timeout",
	};
	static struct shim6_msg m;
	const char *ctl = find_shim6ctl();
	uint8_t out[SHIM6_MAX_HDR_LEN];
	char args[2 * SHIM6_MAX_HDR_LEN + 8];
	json_t *j, *opts, *e;
	unsigned int i;
	int status;
	ssize_t n;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	shim6_msg_init(&m, SHIM6_TYPE_I2);
	m.i2.init_tag = 0x1234;
	shim6_msg_add_validator(&m, blob, sizeof(blob));
	shim6_msg_add_ulid_pair(&m, locs[0], locs[1]);
	shim6_msg_add_fii(&m, 9);
	shim6_msg_add_loclist(&m, 3, 2, meth, locs);
	shim6_msg_add_locpref(&m, 3, 3, 2, prefs);
	shim6_msg_add_cga_pds(&m, blob, sizeof(blob));
	shim6_msg_add_cga_sig(&m, blob, 3);
	shim6_msg_add_ka_timeout(&m, 15);
	n = shim6_msg_encode(&m, out, sizeof(out));
	if (!ASSERT_TRUE(n > 0, "encode"))
		return;
	strcpy(args, "hex ");
	to_hex(out, (size_t)n, args + 4);
	j = run_json(ctl, args, &status);
	if (!ASSERT_OK_PTR(j, "JSON"))
		return;
	ASSERT_EQ(status, 0, "exit status");
	opts = json_object_get(j, "options");
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		SUBTEST("%s", names[i]);
		ASSERT_STREQ(jstr(json_array_get(opts, i), "name"), names[i], "name");
		ASSERT_TRUE(json_is_false(json_object_get(json_array_get(opts, i), "ignored")),
			    "not ignored in an I2");
	}
	SUBTEST("option fields");
	ASSERT_STREQ(jstr(json_array_get(opts, 2), "forked_instance_id"), "0x9", "FII");
	e = json_array_get(json_object_get(json_array_get(opts, 3), "locators"), 1);
	ASSERT_STREQ(jstr(e, "verification_method_name"), "CGA", "method 2 = CGA");
	e = json_array_get(json_object_get(json_array_get(opts, 4), "elements"), 1);
	ASSERT_EQ(jint(e, "priority"), 30, "priority");
	ASSERT_EQ(jint(e, "weight"), 40, "weight");
	ASSERT_TRUE(json_is_true(json_object_get(e, "transient")), "TRANSIENT flag");
	ASSERT_STREQ(jstr(json_array_get(opts, 6), "cga_signature"), "deadbe", "signature bytes");
	ASSERT_EQ(jint(json_array_get(opts, 7), "keepalive_timeout"), 15, "seconds");
	json_decref(j);
}

TEST(decode_cli_strict)
{
	/* I1 + unknown C=0 option whose padding byte is 0x5a; checksum 0x17bf. */
	const char *hex = "hex 3b020100 17bf 000000000001 00000002 0012 0002 abcd005a";
	const char *ctl = find_shim6ctl();
	char args[128];
	int status;
	json_t *j;

	if (!ctl) {
		SKIP("shim6ctl not built next to unit_tests (run make)");
		return;
	}
	SUBTEST("default: a warning");
	j = run_json(ctl, hex, &status);
	if (ASSERT_OK_PTR(j, "JSON")) {
		json_t *w = json_array_get(json_object_get(j, "warnings"), 0);

		ASSERT_EQ(status, 0, "exit 0");
		ASSERT_STREQ(jstr(j, "type_name"), "I1", "decoded");
		ASSERT_STREQ(json_is_string(w) ? json_string_value(w) : "(none)", "padding_nonzero",
			     "padding warning");
		json_decref(j);
	}
	SUBTEST("strict: a defect");
	snprintf(args, sizeof(args), "strict %s", hex);
	j = run_json(ctl, args, &status);
	if (ASSERT_OK_PTR(j, "JSON")) {
		ASSERT_EQ(status, 1, "exit 1");
		ASSERT_STREQ(jstr(j, "defect"), "bad_padding", "defect");
		json_decref(j);
	}
}
