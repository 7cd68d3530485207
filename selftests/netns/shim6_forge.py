#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A minimal Shim6 initiator for the netns tests: I1, then I2 with a chosen
Locator List (RFC 5533 §5.4, §5.6, §5.15), to check that the responder
refuses a forged list.  Not a Shim6 implementation: just enough bytes.

  shim6_forge.py SRC DST PARAMS-FILE LOC[,LOC...]   (every locator method HBA)
Exit 0 when an R2 came back, 1 when none did (within 2 s), 2 on errors."""
import os
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def opt(otype, content):
    raw = struct.pack("!HH", otype << 1, len(content)) + content
    return raw + b"\0" * ((8 - len(raw) % 8) % 8)


def msg(mtype, body, options=b""):
    total = 6 + len(body) + len(options)  # 4 common bytes + checksum + rest
    hdr = struct.pack("!BBBB", 59, total // 8 - 1, mtype, 0)
    m = hdr + b"\0\0" + body + options
    assert len(m) % 8 == 0, len(m)
    c = csum(m)
    return m[:4] + struct.pack("!H", c) + m[6:]


def tag48(t):
    return struct.pack("!Q", t)[2:]


def main():
    src, dst, params_file, locs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
    params = open(params_file, "rb").read()
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 140)
    s.bind((src, 0))
    s.settimeout(2)
    tag = int.from_bytes(os.urandom(6), "big") & 0x7FFFFFFFFFFF
    nonce = int.from_bytes(os.urandom(4), "big")
    s.sendto(msg(1, tag48(tag) + struct.pack("!I", nonce)), (dst, 0))
    while True:
        r1 = s.recv(2048)
        if r1[2] & 0x7F == 2 and struct.unpack("!I", r1[8:12])[0] == nonce:
            break
    resp_nonce = r1[12:16]
    o = 16  # options of R1: find the Responder Validator (type 1)
    validator = None
    while o + 4 <= len(r1):
        t, ln = struct.unpack("!HH", r1[o:o + 4])
        if t >> 1 == 1:
            validator = r1[o + 4:o + 4 + ln]
        o += (4 + ln + 7) & ~7
    if validator is None:
        return 2
    n = len(locs)
    methods = bytes([1] * n)  # HBA
    head = struct.pack("!IB", 1, n) + methods
    head += b"\0" * ((8 - (len(head) + 4) % 8) % 8)  # locators 8-aligned in the option
    ll = head + b"".join(socket.inet_pton(socket.AF_INET6, a) for a in locs)
    options = opt(1, validator) + opt(2, ll) + opt(4, params)
    body = tag48(tag) + struct.pack("!I", nonce) + resp_nonce + b"\0" * 4
    s.sendto(msg(3, body, options), (dst, 0))
    try:
        while True:
            r2 = s.recv(2048)
            if r2[2] & 0x7F == 4:
                return 0
    except socket.timeout:
        return 1


if __name__ == "__main__":
    sys.exit(main())
