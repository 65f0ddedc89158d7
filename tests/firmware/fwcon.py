#!/usr/bin/env python3
"""fwcon.py - talk to the firmware's console on a QEMU unix-socket serial.

Usage: fwcon.py SOCKET LOGFILE STEP...
Steps run in order:
  expect:REGEX[:SECONDS]   wait until REGEX matches a new line of output
  send:TEXT                type TEXT followed by CR
  sleep:SECONDS
  mark:NAME                print NAME and the seconds since connecting
  closed[:SECONDS]         wait until QEMU closes the console (it exited)
Every expect is bounded (default 10 s); the first that times out ends the
run with status 1. All console output goes to LOGFILE. Matched lines and
marks are printed on stdout as 'NAME +1.234s line'.
"""
import os
import re
import socket
import sys
import time


def closed_by_peer(sock):
    sock.settimeout(0.1)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, logpath, steps = argv[0], argv[1], argv[2:]
    deadline = time.monotonic() + 10
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    while True:  # QEMU may not have created the socket yet
        try:
            sock.connect(path)
            break
        except OSError:
            if time.monotonic() > deadline:
                print("fwcon: cannot connect to", path, file=sys.stderr)
                return 1
            time.sleep(0.02)
    t0 = time.monotonic()
    log = open(logpath, "ab", buffering=0)
    pending = b""  # received, not yet matched, complete and partial lines

    def lines_until(regex, limit):
        nonlocal pending
        end = time.monotonic() + limit
        rx = re.compile(regex)
        while True:
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                text = line.decode("ascii", "replace").strip("\r")
                if rx.search(text):
                    return text
            left = end - time.monotonic()
            if left <= 0:
                return None
            sock.settimeout(left)
            try:
                data = sock.recv(4096)
            except socket.timeout:
                continue
            if not data:
                # Peer closed: match what is left, then give up.
                if pending and rx.search(pending.decode("ascii", "replace")):
                    text, pending = pending.decode("ascii", "replace"), b""
                    return text
                return None
            log.write(data)
            pending += data

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "expect":
            regex, limit = arg, 10.0
            m = re.match(r"^(.*):([0-9.]+)$", arg)
            if m:
                regex, limit = m.group(1), float(m.group(2))
            line = lines_until(regex, limit)
            if line is None:
                print("fwcon: timed out waiting for /%s/" % regex,
                      file=sys.stderr)
                return 1
            print("match +%.3fs %s" % (time.monotonic() - t0, line))
        elif kind == "send":
            sock.sendall(arg.encode() + b"\r")
        elif kind == "sleep":
            time.sleep(float(arg))
        elif kind == "closed":
            # A regex that never matches: returns when the peer closes.
            if lines_until(r"(?!)", float(arg or 10)) is None and \
                    not closed_by_peer(sock):
                print("fwcon: console still open", file=sys.stderr)
                return 1
        elif kind == "mark":
            print("%s +%.3fs" % (arg, time.monotonic() - t0))
        else:
            print("fwcon: bad step", step, file=sys.stderr)
            return 2
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
