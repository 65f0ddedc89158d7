#!/usr/bin/env python3
"""TCP peer for the system tests: byte-exact transfers against the host
port's test applications (discard on 9, generator on 19), using the Linux
kernel's TCP. Every wait is bounded; the exit status says pass or fail.

  tcp_client.py send HOST N        N pattern bytes to discard, then close
  tcp_client.py recv HOST N        read the generator to EOF, check N bytes
  tcp_client.py many HOST COUNT N  COUNT sequential generator connections
  tcp_client.py connect HOST N MS  one generator connection of N bytes whose
                                   handshake must take less than MS ms
"""
import socket
import sys
import time


def pattern(n, start=0):
    return bytes(((i * 31 + (i >> 8) * 7 + 3) & 0xFF)
                 for i in range(start, start + n))


def connect(host, port, timeout):
    s = socket.create_connection((host, port), timeout=timeout)
    s.settimeout(timeout)
    return s


def send(host, n, timeout=240):
    data = pattern(n)
    t0 = time.monotonic()
    s = connect(host, 9, timeout)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    if s.recv(1) != b"":
        raise SystemExit("send: discard server sent data")
    dt = time.monotonic() - t0
    s.close()
    print("send: %d bytes in %.3f s, %.2f MB/s" % (n, dt, n / dt / 1e6))


def read_to_eof(s):
    chunks = []
    while True:
        b = s.recv(65536)
        if not b:
            break
        chunks.append(b)
    s.close()
    return b"".join(chunks)


def recv_all(host, timeout):
    return read_to_eof(connect(host, 19, timeout))


def recv(host, n, timeout=120):
    t0 = time.monotonic()
    got = recv_all(host, timeout)
    dt = time.monotonic() - t0
    if len(got) != n:
        raise SystemExit("recv: %d bytes, expected %d" % (len(got), n))
    if got != pattern(n):
        bad = next(i for i in range(n) if got[i] != pattern(1, i)[0])
        raise SystemExit("recv: bytes differ from offset %d" % bad)
    print("recv: %d bytes in %.3f s, %.2f MB/s, byte-exact"
          % (n, dt, n / dt / 1e6))


def many(host, count, n, timeout=10):
    want = pattern(n)
    t0 = time.monotonic()
    for k in range(count):
        got = recv_all(host, timeout)
        if got != want:
            raise SystemExit("many: connection %d got %d bytes, wrong"
                             % (k, len(got)))
    dt = time.monotonic() - t0
    print("many: %d connections of %d bytes in %.2f s, %.0f per second"
          % (count, n, dt, count / dt))


def connect_timed(host, n, limit_ms, timeout=10):
    t0 = time.monotonic()
    s = connect(host, 19, timeout)
    ms = (time.monotonic() - t0) * 1000
    got = read_to_eof(s)
    if got != pattern(n):
        raise SystemExit("connect: %d bytes, wrong" % len(got))
    print("connect: handshake in %.1f ms, %d bytes byte-exact" % (ms, n))
    if ms >= limit_ms:
        raise SystemExit("connect: %.1f ms, limit %d ms" % (ms, limit_ms))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "send":
        send(sys.argv[2], int(sys.argv[3]))
    elif cmd == "recv":
        recv(sys.argv[2], int(sys.argv[3]))
    elif cmd == "connect":
        connect_timed(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "many":
        many(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
