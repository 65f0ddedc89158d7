#!/usr/bin/env python3
"""Bulk TCP figures: a sink that reads a connection to EOF and prints MB/s,
a source that writes N bytes, and a source server for the kernel-to-kernel
reference over veth. Bounded by socket timeouts.

  tcp_bench.py sink HOST PORT            read to EOF, print bytes and MB/s
  tcp_bench.py source HOST PORT N        connect, write N bytes, close
  tcp_bench.py serve ADDR PORT N         accept once, write N bytes, close
"""
import socket
import sys
import time

CHUNK = bytes((i * 31 + (i >> 8) * 7 + 3) & 0xFF for i in range(65536))


def sink(host, port):
    s = socket.create_connection((host, port), timeout=60)
    buf = bytearray(262144)
    n = 0
    t0 = time.monotonic()
    while True:
        k = s.recv_into(buf)
        if not k:
            break
        n += k
    dt = time.monotonic() - t0
    print("%d bytes %.3f s %.1f MB/s" % (n, dt, n / dt / 1e6))


def write_n(s, n):
    while n > 0:
        k = min(n, len(CHUNK))
        s.sendall(CHUNK[:k])
        n -= k


def source(host, port, n):
    s = socket.create_connection((host, port), timeout=60)
    t0 = time.monotonic()
    write_n(s, n)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    dt = time.monotonic() - t0
    print("%d bytes %.3f s %.1f MB/s" % (n, dt, n / dt / 1e6))


def serve(addr, port, n):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    ls.settimeout(30)
    c, _ = ls.accept()
    c.settimeout(60)
    write_n(c, n)
    c.close()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "sink":
        sink(sys.argv[2], int(sys.argv[3]))
    elif cmd == "source":
        source(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
