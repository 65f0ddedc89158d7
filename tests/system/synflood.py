#!/usr/bin/env python3
"""SYN flood for the system tests: COUNT TCP SYNs with spoofed source
addresses (on the subnet, answered by nobody) and source ports, written as
raw Ethernet frames to the TAP interface, so they reach the host port as
if from many hosts. Run inside the test's namespace (needs CAP_NET_RAW).

  synflood.py IFACE DST_MAC DST_IP DPORT COUNT SUBNET_PREFIX FIRST LAST
  e.g. synflood.py mtap0 02:6d:6f:74:65:02 10.77.0.2 19 5000 10.77.0 100 250
"""
import random
import socket
import struct
import sys
import time


def csum(b):
    if len(b) & 1:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def syn_frame(dst_mac, src_mac, src, dst, sport, dport, seq):
    mss = struct.pack("!BBH", 2, 4, 1460)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, (6 << 4), 0x02,
                      64240, 0, 0) + mss
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp),
                     random.getrandbits(16), 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip + tcp


def main():
    if len(sys.argv) != 9:
        raise SystemExit(__doc__)
    iface, dmac, dip, dport, count, net, first, last = sys.argv[1:]
    dst_mac = bytes(int(x, 16) for x in dmac.split(":"))
    dst = socket.inet_aton(dip)
    rnd = random.Random(5961)
    frames = []
    for _ in range(int(count)):
        host = rnd.randint(int(first), int(last))
        src = socket.inet_aton("%s.%d" % (net, host))
        src_mac = bytes([0x02, 0x66, 0x6c, 0x6f, 0x6f, host])
        frames.append(syn_frame(dst_mac, src_mac, src, dst,
                                rnd.randint(1024, 65535), int(dport),
                                rnd.getrandbits(32)))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    t0 = time.monotonic()
    for i, f in enumerate(frames):
        s.send(f)
        if i % 100 == 99:
            time.sleep(0.002)  # let the TAP queue drain: every SYN counts
    dt = time.monotonic() - t0
    print("synflood: %d SYNs from %d addresses in %.3f s"
          % (len(frames), int(last) - int(first) + 1, dt))


if __name__ == "__main__":
    main()
