#!/bin/sh
# http_bench.sh SRC_ROOT OUT_DIR - the HTTP parser's figures:
#   instructions per byte (callgrind, gcc -O2, x86-64) for the four corpus
#   requests, whole and fed one byte per call; counted: parse_all() in
#   http_bench.c (the parser and the loop that feeds it), and the parser's
#   calls alone; then the parser's calls alone when it is built -Os (as
#   firmware builds it: no run loops, helpers out of line);
#   the router's instructions per target (begin, feed whole, end) over the
#   eight routes of route_bench.c;
#   the parser state and the router's per-connection matcher, in bytes;
#   Thumb-2 code size (arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os
#   -ffunction-sections -fdata-sections; text + data of the object).
set -eu
root=$1
out=$2
mkdir -p "$out"
CC=${CC:-gcc}
corpus=$root/tests/fuzz/corpus/http_parser
$CC -std=c11 -O2 -g -Wl,-z,now -I"$root/include" "$root/bench/http_bench.c" \
    "$root/src/http_parser.c" "$root/src/route.c" -o "$out/http_bench"
$CC -std=c11 -Os -g -Wl,-z,now -I"$root/include" "$root/bench/http_bench.c" \
    "$root/src/http_parser.c" "$root/src/route.c" -o "$out/http_bench_os"

ir() { # file mode symbol-pattern [binary] -> Ir inclusive of that function
    valgrind --tool=callgrind --toggle-collect="$3" \
        --callgrind-out-file="$out/cg.out" "${4:-$out/http_bench}" "$1" "$2" \
        >/dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out"
}

printf '%-16s %5s %11s %12s %11s %12s %9s %9s\n' request bytes \
    whole/loop whole/parser bytes/loop bytes/parser whole/Os bytes/Os
for f in a-min-get b-browser-get c-post-json d-post-chunked; do
    file=$corpus/$f.http
    n=$(wc -c <"$file")
    wl=$(ir "$file" whole 'parse_all*')
    wp=$(ir "$file" whole 'mote_http_parse')
    bl=$(ir "$file" bytes 'parse_all*')
    bp=$(ir "$file" bytes 'mote_http_parse')
    wo=$(ir "$file" whole 'mote_http_parse' "$out/http_bench_os")
    bo=$(ir "$file" bytes 'mote_http_parse' "$out/http_bench_os")
    awk -v f="$f" -v n="$n" -v wl="$wl" -v wp="$wp" -v bl="$bl" -v bp="$bp" \
        -v wo="$wo" -v bo="$bo" \
        'BEGIN { printf "%-16s %5d %11.1f %12.1f %11.1f %12.1f %9.1f %9.1f\n",
                 f, n, wl / n, wp / n, bl / n, bp / n, wo / n, bo / n }'
done
echo "(instructions per byte; picohttpparser whole: 11.9 / 8.0 / 6.3 / 7.4)"
$CC -std=c11 -O2 -g -Wl,-z,now -I"$root/include" "$root/bench/route_bench.c" \
    "$root/src/route.c" -o "$out/route_bench"
printf '%-8s %-24s %6s %6s\n' method target status instr
while read -r meth tgt; do
    valgrind --tool=callgrind --toggle-collect='route_one*' \
        --callgrind-out-file="$out/cg.out" "$out/route_bench" "$meth" \
        "$tgt" >"$out/route.txt" 2>/dev/null
    printf '%-8s %-24s %6s %6s\n' "$meth" "$tgt" "$(cat "$out/route.txt")" \
        "$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg.out")"
done <<EOF
GET /api/users/42?x=1
GET /static/css/site.css
GET /nope
GET /api/users
HEAD /api/users/42
DELETE /api/users/42
OPTIONS *
EOF
echo "(router instructions per target)"
"$out/http_bench" --sizes
if command -v arm-none-eabi-gcc >/dev/null 2>&1; then
    for m in http_parser route; do
        arm-none-eabi-gcc -std=c11 -mcpu=cortex-m3 -mthumb -Os \
            -ffunction-sections -fdata-sections -I"$root/include" \
            -c "$root/src/$m.c" -o "$out/$m.thumb.o"
        arm-none-eabi-size "$out/$m.thumb.o" | awk -v m="$m" \
            'NR == 2 { printf "Thumb-2 %-12s %5d B (text %d, data %d)\n",
                       m, $1 + $2, $1, $2 }'
    done
else
    echo "Thumb-2 sizes: arm-none-eabi-gcc not found"
fi
