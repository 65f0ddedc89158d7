#!/usr/bin/env python3
"""fwsize.py MAP [ELF] - splits the firmware's flash and RAM by origin.

Reads the GNU ld map file written next to the ELF (mote-fw.map) and sums the
input sections that survived --gc-sections per group: the network core
(objects built from src/), the scheduler and ring (also in src/), the port
(ports/lm3s6965), the applications (ports/common: the HTTP demo and its
embedded pages, the TCP test services), and libc/libgcc. The stack's
RAM is the application's `struct mote_stack`, which the port allocates, so
with an ELF the size of that object (symbol `stack`) is shown as the core's
RAM too.
"""
import re
import subprocess
import sys

FLASH_SECS = (".text", ".rodata", ".isr_vector", ".ARM.exidx", "mote_routes")
RAM_SECS = (".data", ".bss", "COMMON")


# The scheduler and the ring live in src/ but are not the network stack.
RUNTIME = ("/core/sched.o", "/core/ring.o")


def group(obj):
    if obj.endswith(RUNTIME):
        return "sched+ring"
    if "/core/" in obj:
        return "core"
    if "/port/" in obj:
        return "port"
    if "/common/" in obj or "/gen/" in obj:
        return "apps"
    return "libc+libgcc"


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    sizes = {}
    pending = None  # section name waiting for its address line
    in_map = False
    with open(argv[0]) as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_map = True
                continue
            if not in_map or line.startswith("/DISCARD/"):
                continue
            m = re.match(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
            if m:
                name, size, obj = m.group(1), int(m.group(3), 16), m.group(4)
            else:
                m1 = re.match(r"^ (\S+)$", line.rstrip("\n"))
                if m1:
                    pending = m1.group(1)
                    continue
                m2 = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
                if not (m2 and pending):
                    pending = None
                    continue
                name, size, obj = pending, int(m2.group(2), 16), m2.group(3)
                pending = None
            kind = None
            if name.startswith(FLASH_SECS):
                kind = "flash"
            elif name.startswith(".data"):
                kind = "data"  # flash and RAM
            elif name.startswith((".bss", "COMMON")):
                kind = "bss"
            if kind is None or size == 0:
                continue
            g = group(obj)
            sizes.setdefault(g, {"flash": 0, "data": 0, "bss": 0})
            sizes[g][kind] += size
    print("%-12s %7s %7s %7s" % ("part", "flash", "data", "bss"))
    tot = {"flash": 0, "data": 0, "bss": 0}
    for g in ("core", "sched+ring", "port", "apps", "libc+libgcc"):
        s = sizes.get(g, {"flash": 0, "data": 0, "bss": 0})
        for k in tot:
            tot[k] += s[k]
        print("%-12s %7d %7d %7d" % (g, s["flash"] + s["data"], s["data"],
                                    s["bss"]))
    print("%-12s %7d %7d %7d" % ("total", tot["flash"] + tot["data"],
                                tot["data"], tot["bss"]))
    if len(argv) > 1:
        out = subprocess.run(["arm-none-eabi-nm", "-S", argv[1]],
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[3] == "stack":
                print("struct mote_stack (core RAM, allocated by the port): "
                      "%d B" % int(parts[1], 16))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
