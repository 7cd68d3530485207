#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Small traffic tools for test_mpath.sh: UDP senders that set SO_MARK (the
application's choice of a shim6 path), a UDP counter, and an MPTCP
(IPPROTO_MPTCP) file sink and source.

  mpath_app.py udp-send SRC DST PORT MARK COUNT INTERVAL_MS
  mpath_app.py udp-recv BIND PORT          prints a line per datagram
  mpath_app.py mptcp-sink BIND PORT FILE   one connection, everything to FILE
  mpath_app.py mptcp-send SRC DST PORT FILE [MARK]
"""
import socket
import sys
import time

SO_MARK = 36
IPPROTO_MPTCP = 262


def udp_send(src, dst, port, mark, count, interval_ms):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_MARK, int(mark, 0))
    s.bind((src, 0))
    for i in range(int(count)):
        s.sendto(b"seq %d\n" % i, (dst, int(port)))
        time.sleep(int(interval_ms) / 1000.0)


def udp_recv(bind, port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((bind, int(port)))
    while True:
        data, _ = s.recvfrom(2048)
        sys.stdout.write(data.decode(errors="replace"))
        sys.stdout.flush()


def mptcp_sink(bind, port, path):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, IPPROTO_MPTCP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((bind, int(port)))
    s.listen(1)
    c, _ = s.accept()
    with open(path, "wb") as f:
        while True:
            b = c.recv(1 << 16)
            if not b:
                break
            f.write(b)
    c.close()


def mptcp_send(src, dst, port, path, mark="0"):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, IPPROTO_MPTCP)
    if int(mark, 0):
        s.setsockopt(socket.SOL_SOCKET, SO_MARK, int(mark, 0))
    s.bind((src, 0))
    s.connect((dst, int(port)))
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 16)
            if not b:
                break
            s.sendall(b)
            # a little pacing so the path manager has time to add the
            # second subflow before the transfer is over
            time.sleep(0.002)
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):
        pass
    s.close()


CMDS = {"udp-send": udp_send, "udp-recv": udp_recv, "mptcp-sink": mptcp_sink,
        "mptcp-send": mptcp_send}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CMDS:
        sys.exit(__doc__)
    CMDS[sys.argv[1]](*sys.argv[2:])
