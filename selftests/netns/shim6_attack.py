#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Attacks on a Shim6 responder for the reliability tests (issue 8): bare
bytes on a raw socket (protocol 140), built with shim6_forge.py's helpers.

  shim6_attack.py handshake SRC DST PARAMS LOCS STATE   I1..R2, saves tags and the I2
  shim6_attack.py replay SRC DST STATE                  the saved I2 again
  shim6_attack.py stale SRC DST PARAMS LOCS SECONDS     I1, R1, wait, then the I2
  shim6_attack.py update SRC DST STATE GEN LOCS         Update Request with a Locator List
  shim6_attack.py badsum SRC DST N                      N I1 with a wrong checksum
  shim6_attack.py badlen SRC DST N                      N I1 whose length field lies
  shim6_attack.py payload SRC DST TAG N                 N UDP packets behind a Shim6
                                                        payload header with TAG
Exit 0 when the answer the attack wanted came back (R2, Update Ack), 1 when
none did within 2 s, 2 on errors; the flood-type commands exit 0."""
import json
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shim6_forge import csum, msg, opt, tag48  # noqa: E402


def sock(src):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 140)
    s.bind((src, 0))
    s.settimeout(2)
    return s


def send(s, b, dst):
    """sendto, waiting out ENOBUFS (the neighbour queue of a burst)."""
    import time
    for _ in range(100):
        try:
            return s.sendto(b, (dst, 0))
        except OSError as e:
            if e.errno != 105:
                raise
            time.sleep(0.01)
    raise OSError(105, "no buffer space")


def wait_type(s, want, check=lambda m: True):
    """The first message of type `want` passing `check`, or None after 2 s."""
    try:
        while True:
            m = s.recv(4096)
            if len(m) >= 8 and m[2] & 0x7F == want and check(m):
                return m
    except socket.timeout:
        return None


def options(m, off):
    o, out = off, {}
    while o + 4 <= len(m):
        t, ln = struct.unpack("!HH", m[o:o + 4])
        out[t >> 1] = m[o + 4:o + 4 + ln]
        o += (4 + ln + 7) & ~7
    return out


def loclist(gen, locs):
    n = len(locs)
    head = struct.pack("!IB", gen, n) + bytes([1] * n)  # HBA
    head += b"\0" * ((8 - (len(head) + 4) % 8) % 8)
    return head + b"".join(socket.inet_pton(socket.AF_INET6, a) for a in locs)


def i1_r1(s, dst, tag, nonce):
    s.sendto(msg(1, tag48(tag) + struct.pack("!I", nonce)), (dst, 0))
    return wait_type(s, 2, lambda m: struct.unpack("!I", m[8:12])[0] == nonce)


def make_i2(r1, tag, nonce, params, locs):
    validator = options(r1, 16).get(1)
    if validator is None:
        sys.exit(2)
    opts = opt(1, validator) + opt(2, loclist(1, locs)) + opt(4, params)
    return msg(3, tag48(tag) + struct.pack("!I", nonce) + r1[12:16] + b"\0" * 4, opts)


def new_tag_nonce():
    return (int.from_bytes(os.urandom(6), "big") & 0x7FFFFFFFFFFF,
            int.from_bytes(os.urandom(4), "big"))


def main():
    cmd, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    s = sock(src)
    if cmd == "handshake":
        params = open(sys.argv[4], "rb").read()
        tag, nonce = new_tag_nonce()
        r1 = i1_r1(s, dst, tag, nonce)
        if r1 is None:
            return 1
        i2 = make_i2(r1, tag, nonce, params, sys.argv[5].split(","))
        s.sendto(i2, (dst, 0))
        r2 = wait_type(s, 4)
        if r2 is None:
            return 1
        peer = int.from_bytes(r2[6:12], "big") & 0x7FFFFFFFFFFF
        json.dump({"tag": tag, "peer_tag": peer, "i2": i2.hex()}, open(sys.argv[6], "w"))
        return 0
    if cmd == "replay":
        st = json.load(open(sys.argv[4]))
        s.sendto(bytes.fromhex(st["i2"]), (dst, 0))
        return 0 if wait_type(s, 4) else 1
    if cmd == "stale":
        import time
        params = open(sys.argv[4], "rb").read()
        tag, nonce = new_tag_nonce()
        r1 = i1_r1(s, dst, tag, nonce)
        if r1 is None:
            return 2
        time.sleep(float(sys.argv[6]))
        s.sendto(make_i2(r1, tag, nonce, params, sys.argv[5].split(",")), (dst, 0))
        return 0 if wait_type(s, 4) else 1
    if cmd == "update":
        st = json.load(open(sys.argv[4]))
        nonce = int.from_bytes(os.urandom(4), "big")
        body = tag48(st["peer_tag"]) + struct.pack("!I", nonce)
        s.sendto(msg(64, body, opt(2, loclist(int(sys.argv[5]), sys.argv[6].split(",")))),
                 (dst, 0))
        # Update Acknowledgement (65) echoing our Request Nonce
        return 0 if wait_type(s, 65, lambda m: m[12:16] == struct.pack("!I", nonce)) else 1
    if cmd in ("badsum", "badlen"):
        for i in range(int(sys.argv[4])):
            tag, nonce = new_tag_nonce()
            m = bytearray(msg(1, tag48(tag) + struct.pack("!I", nonce)))
            if cmd == "badsum":
                m[4] ^= 0x5A
            elif i % 2:
                m[1] = 3            # claims 32 bytes, 16 sent
                c = csum(bytes(m[:4]) + b"\0\0" + bytes(m[6:]))
                m[4:6] = struct.pack("!H", c)
            else:
                m = m[:6]           # shorter than any message
            send(s, bytes(m), dst)
        return 0
    if cmd == "payload":
        t = int(sys.argv[4], 0)
        hdr = bytes([17, 0, 0x80 | (t >> 40) & 0x7F]) + (t & 0xFFFFFFFFFF).to_bytes(5, "big")
        udp = struct.pack("!HHHH", 4000, 5000, 8 + 16, 0) + b"shim6-reliabilit"
        for _ in range(int(sys.argv[5])):
            send(s, hdr + udp, dst)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
