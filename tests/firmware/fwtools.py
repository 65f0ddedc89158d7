"""Helpers shared by the firmware measurement scripts (count_*.sh, rps.sh):
a keep-alive GET that reads exactly one answer, and the text symbols of an
image as listed by `nm`."""


def get_keepalive(s, req):
    """Sends one request on socket `s` and reads its answer (Content-Length
    framed); returns the body's length."""
    s.sendall(req)
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, body = buf.split(b"\r\n\r\n", 1)
    length = int([l.split(b":")[1] for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += s.recv(65536)
    return length


def text_symbols(symfile):
    """(address, name) of every code symbol in `nm` output, sorted."""
    syms = []
    for line in open(symfile):
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16), p[2]))
    syms.sort()
    return syms
