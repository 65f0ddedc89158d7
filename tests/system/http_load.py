#!/usr/bin/env python3
"""Load clients for the HTTP server's connection rules (tests/system/http.sh).

  http_load.py IP evict [CLIENTS] [REQUESTS]
      CLIENTS threads (16) each keep one keep-alive connection and send
      REQUESTS GETs (30) on it, reconnecting when it fails. A request may
      fail only before any byte of its answer came (the connection was
      evicted while idle: reset); a failure in the middle of an answer, a
      wrong answer, or a connect that never succeeds fails the test. Then
      every connection is probed without a request (an evicted one shows
      its reset) and closed. Prints "failures N": the evictions mote made.

  http_load.py IP slow CONNS
      CONNS clients trickle a head at 2 bytes/s; each must get 408. From
      2 s on, a fresh client GETs every 0.5 s and must be answered within
      2 s (its SYN finds the pool full: the slow heads get 408 at once, and
      its SYN retry a second later finds room).
"""
import random
import select
import socket
import sys
import threading
import time

IP = sys.argv[1]
PATHS = [b"/", b"/api/users/7", b"/api/stats", b"/static/style.css"]


class Evicted(Exception):
    """The connection was reset before any byte of the answer came."""


def connect(timeout=10.0):
    s = socket.create_connection((IP, 80), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def request(s, path):
    """One GET on s; returns the status. Raises Evicted when the connection
    was gone before the answer began, AssertionError on anything else."""
    try:
        s.sendall(b"GET %s HTTP/1.1\r\nHost: m\r\n\r\n" % path)
    except (BrokenPipeError, ConnectionResetError):
        raise Evicted()
    buf = b""
    while True:
        h = buf.find(b"\r\n\r\n")
        if h >= 0:
            head = buf[:h].decode("latin-1")
            ln = [l for l in head.split("\r\n")
                  if l.lower().startswith("content-length:")]
            assert ln, head
            n = int(ln[0].split(":")[1])
            if len(buf) >= h + 4 + n:
                assert len(buf) == h + 4 + n, "bytes past the answer"
                return int(head.split(" ")[1])
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            d = None
        if not d:
            assert not buf, "cut in the middle of an answer: %r" % buf[:80]
            raise Evicted()
        buf += d


def evict(clients=16, requests=30):
    failures = [0] * clients
    errors = []
    socks = [None] * clients

    def run(i):
        rnd = random.Random(i)
        try:
            s = None
            for _ in range(requests):
                for attempt in range(5):
                    try:
                        if s is None:
                            # A new connection is idle until its first
                            # request: it may be evicted even before
                            # connect() returns.
                            try:
                                s = connect()
                            except ConnectionResetError:
                                raise Evicted()
                        try:
                            st = request(s, rnd.choice(PATHS))
                        except TimeoutError:
                            raise AssertionError("no answer in 10 s on port %d"
                                                 % s.getsockname()[1])
                        assert st == 200, st
                        break
                    except Evicted:
                        failures[i] += 1
                        if s:
                            s.close()
                        s = None
                else:
                    raise AssertionError("5 evictions in a row")
                time.sleep(rnd.random() * 0.02)
            socks[i] = s
        except Exception as e:  # reported by the main thread
            import traceback
            errors.append("client %d: %s" % (i, traceback.format_exc(limit=-2)))

    t0 = time.time()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    # An evicted connection not used again shows its reset now.
    time.sleep(0.3)
    for i, s in enumerate(socks):
        s.setblocking(False)
        try:
            d = s.recv(1)
            assert False, "client %d: unexpected %r" % (i, d)
        except BlockingIOError:
            pass
        except ConnectionResetError:
            failures[i] += 1
        s.close()
    print("evict: %d clients x %d requests in %.1f s, all answered 200; "
          "failures %d (each on a connection reset while idle)"
          % (clients, requests, time.time() - t0, sum(failures)))
    print("failures %d" % sum(failures))


def slow(conns):
    got = [None] * conns
    stop = threading.Event()

    def trickle(i):
        try:
            s = connect(timeout=20)
        except OSError as e:
            got[i] = "connect: %r" % e
            return
        head = b"GET / HTTP/1.1\r\nHost: m\r\nX-Slow: " + b"a" * 200
        k = 0
        buf = b""
        t0 = time.time()
        while time.time() - t0 < 20:
            r, _, _ = select.select([s], [], [], 0.5)
            if r:
                try:
                    d = s.recv(4096)
                except ConnectionResetError:
                    d = b""
                if not d:
                    break
                buf += d
                continue
            try:
                s.send(head[k:k + 1])
                k += 1
            except (BrokenPipeError, ConnectionResetError):
                pass
        s.close()
        got[i] = buf[:12].decode("latin-1")

    threads = [threading.Thread(target=trickle, args=(i,)) for i in range(conns)]
    for t in threads:
        t.start()
    worst = 0.0
    served = 0
    time.sleep(2.0)  # every slot taken by a trickle, for a while
    while any(t.is_alive() for t in threads):
        t0 = time.time()
        s = connect(timeout=5)
        assert request(s, b"/api/users/1") == 200
        s.close()
        dt = time.time() - t0
        worst = max(worst, dt)
        served += 1
        assert dt < 2.0, "fresh client waited %.2f s" % dt
        time.sleep(0.5)
    for t in threads:
        t.join()
    assert all(g == "HTTP/1.1 408" for g in got), got
    print("slow: %d trickling clients got 408; a fresh client served %d "
          "times meanwhile, %.2f s at worst" % (conns, served, worst))


if __name__ == "__main__":
    mode = sys.argv[2]
    if mode == "evict":
        evict(*(int(a) for a in sys.argv[3:]))
    elif mode == "slow":
        slow(int(sys.argv[3]))
    else:
        sys.exit("usage: http_load.py IP evict|slow ...")
