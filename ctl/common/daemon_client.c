// SPDX-License-Identifier: GPL-2.0
/* shim6d control-socket client; see daemon_client.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/common/daemon_client.h"
#include "ctl/common/parse.h"

#define REPLY_MAX (16 << 20)

const char *shim6d_socket_path(void)
{
	const char *p = getenv("SHIM6D_SOCKET");

	return p && *p ? p : SHIM6D_SOCKET_DEFAULT;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int shim6d_request(const char *path, json_t *req, json_t **rep, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = 0, cap = 4096;
	json_error_t jerr;
	char *out, *buf;
	int fd, ret;

	*rep = NULL;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot reach shim6d at %s: %s (is it running?)", path,
			 strerror(errno));
		close(fd);
		return ret;
	}
	out = json_dumps(req, JSON_COMPACT);
	if (!out) {
		close(fd);
		return -ENOMEM;
	}
	ret = write_all(fd, out, strlen(out));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	free(out);
	buf = malloc(cap);
	while (!ret && buf) {
		ssize_t n;

		if (len + 1 == cap) {
			char *nb = cap < REPLY_MAX ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				ret = -E2BIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = -errno;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	if (ret) {
		snprintf(err, errlen, "talking to shim6d: %s", strerror(-ret));
		free(buf);
		return ret;
	}
	buf[len] = '\0';
	*rep = json_loads(buf, 0, &jerr);
	free(buf);
	if (!*rep || !json_is_object(*rep)) {
		snprintf(err, errlen, "shim6d sent a reply that is not a JSON object");
		json_decref(*rep);
		*rep = NULL;
		return -EPROTO;
	}
	return 0;
}

int shim6d_reply_ok(json_t *rep, const char *what)
{
	const char *e;
	int ret;

	if (json_is_true(json_object_get(rep, "ok")))
		return 0;
	e = json_string_value(json_object_get(rep, "error"));
	ret = e ? cli_error("shim6d: %s", e) : cli_error("shim6d: %s failed", what);
	json_decref(rep);
	return ret;
}

int shim6d_call(json_t *req, json_t **rep, const char *what)
{
	char err[256];
	int ret;

	*rep = NULL;
	ret = shim6d_request(shim6d_socket_path(), req, rep, err, sizeof(err));
	json_decref(req);
	if (ret)
		return cli_error("%s", err);
	if (shim6d_reply_ok(*rep, what)) {
		*rep = NULL;
		return 1;
	}
	return 0;
}
