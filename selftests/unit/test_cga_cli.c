// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl key / cga / hba, run as a user would: the built .output/shim6ctl
 * (found next to this binary).  Exit codes, one-line errors, -j output.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ctl/common/parse.h"
#include "selftests/runner.h"
#include "selftests/unit/crypto_helpers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char out[65536], err[4096];

static const char *ctl(void)
{
	const char *p = ct_shim6ctl_path();

	if (!p)
		SKIP("shim6ctl not built next to the test binary");
	return p;
}

static bool one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0' && strncmp(s, "shim6ctl: ", 10) == 0;
}

/* Write the RFC 3972 vector to a file, as a user would have it. */
static const char *rfc_params_file(void)
{
	static char path[512];
	uint8_t buf[256];
	long n = ct_data_read("cga_rfc3972_appendixA.params", buf, sizeof(buf));
	FILE *f;

	snprintf(path, sizeof(path), "%s/rfc_example.params", ct_tmpdir());
	f = fopen(path, "wb");
	if (n != 119 || !f || fwrite(buf, 1, 119, f) != 119) {
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	return path;
}

TEST(cli_cga_verify_rfc_example)
{
	const char *c = ctl(), *params = rfc_params_file();
	json_t *j;

	if (!c || !ASSERT_OK_PTR(params, "params file"))
		return;
	SUBTEST("accepts fe80::3c4a:5bf6:ffb4:ca6c");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
			   "%s cga verify address fe80::3c4a:5bf6:ffb4:ca6c params %s", c, params),
		  0, "exit 0");
	ASSERT_TRUE(strstr(out, "verified") != NULL, "says verified");

	SUBTEST("JSON");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
			   "%s -j cga verify address fe80::3c4a:5bf6:ffb4:ca6c params %s", c, params),
		  0, "exit 0");
	j = json_loads(out, 0, NULL);
	if (ASSERT_OK_PTR(j, "valid JSON")) {
		ASSERT_TRUE(json_is_true(json_object_get(j, "verified")), "verified: true");
		ASSERT_EQ(json_integer_value(json_object_get(j, "sec")), 1, "sec 1");
		ASSERT_STREQ(json_string_value(json_object_get(j, "address")),
			     "fe80::3c4a:5bf6:ffb4:ca6c", "address");
		json_decref(j);
	}

	SUBTEST("rejects a changed interface id");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
			   "%s cga verify address fe80::3c4a:5bf6:ffb4:ca6d params %s", c, params),
		  1, "exit 1");
	ASSERT_TRUE(one_line(err), "one-line error");
	ASSERT_TRUE(strstr(err, "Hash1") != NULL, "names the reason");

	SUBTEST("rejects another prefix");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
			   "%s cga verify address 2001:db8::3c4a:5bf6:ffb4:ca6c params %s", c, params),
		  1, "exit 1");
	ASSERT_TRUE(strstr(err, "subnet prefix differs") != NULL, "names the reason");

	SUBTEST("rejects Sec 2 claim");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
			   "%s cga verify address fe80::5c4a:5bf6:ffb4:ca6c params %s", c, params),
		  1, "exit 1");
	ASSERT_TRUE(strstr(err, "Hash2") != NULL, "names the reason");
}

/* Run a full command line; parse its stdout as JSON. */
static json_t *run_json(int want_rc, const char *cmd)
{
	int rc = ct_run(out, sizeof(out), err, sizeof(err), "%s", cmd);

	if (!ASSERT_EQ(rc, want_rc, "exit status")) {
		fprintf(stderr, "stderr: %s\n", err);
		return NULL;
	}
	return json_loads(out, 0, NULL);
}

TEST(cli_key_cga_gen_verify)
{
	const char *c = ctl();
	char key[512], params[512], cmd[2048];
	const char *addr;
	struct stat st;
	json_t *j;

	if (!c)
		return;
	snprintf(key, sizeof(key), "%s/cli.pem", ct_tmpdir());
	snprintf(params, sizeof(params), "%s/cli.params", ct_tmpdir());
	SUBTEST("key gen");
	if (!ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s key gen out %s bits 1024",
				c, key), 0, "exit 0"))
		return;
	if (ASSERT_OK(stat(key, &st), "key file"))
		ASSERT_EQ(st.st_mode & 0777, 0600, "mode 0600");
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s key gen out %s bits 1024", c, key),
		  1, "second key gen into the same file fails");
	ASSERT_TRUE(one_line(err) && strstr(err, "exists"), "one-line reason");

	SUBTEST("cga gen sec 1, then verify");
	snprintf(cmd, sizeof(cmd), "%s -j cga gen prefix 2001:db8:7::/64 key %s sec 1 threads 2 out %s",
		 c, key, params);
	j = run_json(0, cmd);
	if (!ASSERT_OK_PTR(j, "JSON"))
		return;
	addr = json_string_value(json_object_get(j, "address"));
	ASSERT_EQ(json_integer_value(json_object_get(j, "sec")), 1, "sec");
	ASSERT_EQ(json_integer_value(json_object_get(j, "collision_count")), 0, "collision count");
	ASSERT_TRUE(json_is_string(json_object_get(j, "modifier")), "modifier");
	ASSERT_TRUE(json_is_string(json_object_get(j, "params")), "params hex");
	ASSERT_TRUE(json_is_number(json_object_get(j, "seconds")), "time spent");
	{
		/* The file holds exactly the wire bytes printed as "params". */
		uint8_t file[2048], hex[2048];
		const char *ph = json_string_value(json_object_get(j, "params"));
		long fl = read_file(params, file, sizeof(file));
		size_t hl = ph ? ct_unhex(ph, hex, sizeof(hex)) : 0;

		ASSERT_TRUE(fl > 25, "params file written");
		if (fl > 0)
			ASSERT_MEMEQ(file, (size_t)fl, hex, hl, "params file = params hex");
	}
	if (ASSERT_OK_PTR(addr, "address") && ASSERT_TRUE(!strncmp(addr, "2001:db8:7:0:", 13), "prefix")) {
		snprintf(cmd, sizeof(cmd), "%s cga verify address %s params %s", c, addr, params);
		ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s", cmd), 0, "verifies");
	}
	json_decref(j);

	SUBTEST("hba gen with a key, then verify every member");
	snprintf(cmd, sizeof(cmd),
		 "%s -j hba gen prefixes 2001:db8:a::/64,2001:db8:b::/64,fd00:c::/64 key %s out %s", c,
		 key, params);
	j = run_json(0, cmd);
	if (ASSERT_OK_PTR(j, "JSON")) {
		json_t *a = json_object_get(j, "addresses");
		size_t i;

		ASSERT_STREQ(json_string_value(json_object_get(j, "type")), "cga-compatible", "type");
		ASSERT_EQ(json_array_size(a), 3, "three addresses");
		for (i = 0; i < json_array_size(a); i++) {
			const char *s = json_string_value(json_array_get(a, i));

			ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
					   "%s hba verify address %s params %s", c, s, params),
				  0, "member verifies");
			if (i > 0) {
				ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
						   "%s cga verify address %s params %s", c, s, params),
					  1, "plain cga verify of a non-first member fails");
				ASSERT_TRUE(strstr(err, "prefix") != NULL, "on the prefix");
			}
		}
		ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
				   "%s hba verify address 2001:db8:d::1 params %s", c, params),
			  1, "outsider rejected");
		ASSERT_TRUE(one_line(err) && strstr(err, "not in the HBA set"), "reason");
		json_decref(j);
	}
}

TEST(cli_hba_pure)
{
	const char *c = ctl();
	char params[512], cmd[2048];
	json_t *j;

	if (!c)
		return;
	snprintf(params, sizeof(params), "%s/pure.params", ct_tmpdir());
	snprintf(cmd, sizeof(cmd), "%s -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 sec 1 out %s",
		 c, params);
	j = run_json(0, cmd);
	if (ASSERT_OK_PTR(j, "JSON")) {
		json_t *a = json_object_get(j, "addresses");

		ASSERT_STREQ(json_string_value(json_object_get(j, "type")), "hba-only", "type");
		ASSERT_EQ(json_array_size(a), 2, "two addresses");
		ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err),
				   "%s hba verify address %s params %s", c,
				   json_string_value(json_array_get(a, 1)), params),
			  0, "second member verifies");
		json_decref(j);
	}
}

TEST(cli_bad_input)
{
	const char *c = ctl();
	char key[512], loose[512];
	unsigned int i;
	struct {
		const char *what, *args, *want;
	} rows[] = {
		{ "prefix not /64", "cga gen prefix 2001:db8::/48 key KEY", "must be 64" },
		{ "malformed prefix", "cga gen prefix 2001:zz8::/64 key KEY", "not an IPv6 prefix" },
		{ "prefix host bits", "cga gen prefix 2001:db8::1/64 key KEY", "host bits" },
		{ "Sec 3", "cga gen prefix 2001:db8::/64 key KEY sec 3", "only Sec 0, 1 and 2" },
		{ "threads 0", "cga gen prefix 2001:db8::/64 key KEY threads 0", "at least 1" },
		{ "no key", "cga gen prefix 2001:db8::/64", "needs \"key FILE\"" },
		{ "missing key file", "cga gen prefix 2001:db8::/64 key KEY.missing", "cannot load key" },
		{ "key readable by others", "cga gen prefix 2001:db8::/64 key KEY.loose", "group or others" },
		{ "hba prefix twice", "hba gen prefixes 2001:db8::/64,2001:db8::/64", "listed twice" },
		{ "hba prefix /56", "hba gen prefixes 2001:db8::/64,2001:db8:1::/56", "must be 64" },
		{ "hba sec 5", "hba gen prefixes 2001:db8::/64 sec 5", "only Sec 0, 1 and 2" },
		{ "hba key loose", "hba gen prefixes 2001:db8::/64 key KEY.loose", "group or others" },
		{ "verify missing params", "cga verify address fe80::1 params /nonexistent/p", "cannot read params" },
		{ "verify bad address", "cga verify address fe80::zz params /dev/null", "not an IPv6 address" },
		{ "verify empty params", "hba verify address fe80::1 params /dev/null", "malformed" },
		{ "unknown keyword", "cga gen prefox 2001:db8::/64", "unknown argument" },
		{ "key bits 1000", "key gen out KEY.new bits 1000", "1024, 2048, 3072 or 4096" },
		{ "key gen no out", "key gen bits 2048", "needs \"out FILE\"" },
	};

	if (!c)
		return;
	snprintf(key, sizeof(key), "%s/bad.pem", ct_tmpdir());
	snprintf(loose, sizeof(loose), "%s/bad.pem.loose", ct_tmpdir());
	if (ct_run(out, sizeof(out), err, sizeof(err), "%s key gen out %s bits 1024 && cp %s %s && chmod 644 %s",
		     c, key, key, loose, loose) != 0) {
		runner_fail(__FILE__, __LINE__, "key setup failed: %s", err);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		char args[1024];

		SUBTEST("%s", rows[i].what);
		const char *k = strstr(rows[i].args, "KEY");

		/* KEY stands for the key file's path. */
		if (k)
			snprintf(args, sizeof(args), "%.*s%s%s", (int)(k - rows[i].args), rows[i].args,
				 key, k + 3);
		else
			snprintf(args, sizeof(args), "%s", rows[i].args);
		ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s %s", c, args), 1, "exit 1");
		ASSERT_TRUE(one_line(err), "exactly one line on stderr");
		if (!ASSERT_TRUE(strstr(err, rows[i].want) != NULL, "reason"))
			fprintf(stderr, "  stderr was: %s", err);
	}
}

TEST(cli_help)
{
	const char *c = ctl();
	static const char *const cmds[] = { "key help", "cga help", "hba help", "cga verify help",
					    "cga gen help", "hba gen help", "hba verify help",
					    "key gen help" };
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		SUBTEST("%s", cmds[i]);
		ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s %s", c, cmds[i]), 0, "exit 0");
		ASSERT_TRUE(strstr(out, "Usage: shim6ctl") != NULL, "usage on stdout");
	}
	ASSERT_EQ(ct_run(out, sizeof(out), err, sizeof(err), "%s help", c), 0, "top-level help");
	ASSERT_TRUE(strstr(out, "cga") && strstr(out, "hba") && strstr(out, "key"), "objects listed");
}
