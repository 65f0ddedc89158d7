#!/usr/bin/env python3
"""run.py - boots the firmware under QEMU for `make run`.

    run.py [--port 8080] [--pcap FILE] [--qemu qemu-system-arm] ELF

QEMU's user network (no root, no TAP) leases the firmware its address by
DHCP and forwards 127.0.0.1:PORT on the host to the firmware's port 80.
UART0 (the console) is this terminal: what the firmware prints passes
through unchanged, and typed lines reach its command task (try `help`).
Once the firmware says it is bound, this script says where to point curl
and the browser. With --pcap, UART1 goes to FILE: the firmware built with
FW_PCAP=1 writes every frame there as a pcap record. Ctrl-C stops QEMU.
"""
import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import termios
import time

BOUND = re.compile(rb"mote-fw: dhcp bound ip (\d+\.\d+\.\d+\.\d+).* t=(\d+)ms")


def port_free(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def say(text):
    sys.stdout.buffer.write(text.encode())
    sys.stdout.buffer.flush()


def banner(ip, fw_ms, launch_s, port, pcap):
    url = "http://127.0.0.1:%d" % port
    lines = [
        "",
        "==> mote is serving: DHCP gave it %s (QEMU's user network), "
        "%d ms after reset, %.2f s after QEMU started" % (ip, fw_ms, launch_s),
        "==> browser: %s/" % url,
        "==> curl:    curl %s/api/stats" % url,
        "             curl -X POST -d on %s/api/led     (UART0 logs it)" % url,
        "             curl %s/api/led" % url,
        "             curl -s '%s/api/stream?n=100000' | wc -c" % url,
        "             curl -T somefile %s/api/upload    (length, CRC-32)" % url,
    ]
    if pcap:
        lines.append("==> capture: %s (every frame, from the firmware; open "
                     "it in Wireshark or tshark)" % pcap)
    lines.append("==> console: type help and Enter; Ctrl-C stops QEMU")
    say("\n".join(lines) + "\n\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--pcap")
    ap.add_argument("--qemu", default="qemu-system-arm")
    ap.add_argument("elf")
    a = ap.parse_args()

    if not port_free(a.port):
        sys.exit("run: 127.0.0.1:%d is taken; pick another: make run PORT=%d"
                 % (a.port, a.port + 1))
    cmd = [a.qemu, "-M", "lm3s6965evb", "-display", "none",
           "-monitor", "none",
           "-chardev", "stdio,id=con,signal=on", "-serial", "chardev:con"]
    if a.pcap:
        cmd += ["-serial", "file:" + a.pcap]
    cmd += ["-semihosting-config", "enable=on,target=native",
            "-nic", "user,model=stellaris,hostfwd=tcp:127.0.0.1:%d-:80"
            % a.port, "-kernel", a.elf]
    ver = subprocess.run([a.qemu, "--version"], capture_output=True,
                         text=True).stdout.split("\n")[0]
    say("run: %s\nrun: %s\nrun: forwarding 127.0.0.1:%d -> firmware :80%s\n"
        % (ver, " ".join(cmd), a.port,
           "; capture to " + a.pcap if a.pcap else ""))

    tty = sys.stdin.isatty()
    saved = termios.tcgetattr(0) if tty else None
    t0 = time.monotonic()
    # QEMU shares our terminal (the stdio chardev reads it raw and keeps
    # Ctrl-C as a signal); its output comes through us, unchanged.
    qemu = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    signal.signal(signal.SIGINT, lambda *_: None)   # QEMU gets it too
    signal.signal(signal.SIGTERM, lambda *_: qemu.terminate())
    line = b""
    announced = False
    try:
        while True:
            try:
                data = os.read(qemu.stdout.fileno(), 4096)
            except InterruptedError:
                continue
            if not data:
                break
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            if announced:
                continue
            line += data
            m = BOUND.search(line)
            if m:
                announced = True
                banner(m.group(1).decode(), int(m.group(2)),
                       time.monotonic() - t0, a.port, a.pcap)
            line = line[-200:]
    finally:
        # Stop QEMU by its PID, bounded: TERM, then KILL.
        if qemu.poll() is None:
            qemu.terminate()
            try:
                qemu.wait(5)
            except subprocess.TimeoutExpired:
                qemu.kill()
                qemu.wait()
        if saved is not None:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
    rc = qemu.returncode
    say("\nrun: QEMU ended (%s)\n" % ("signal %d" % -rc if rc < 0
                                      else "status %d" % rc))
    return 0 if rc in (0, -signal.SIGINT, -signal.SIGTERM) else rc


if __name__ == "__main__":
    sys.exit(main())
