#!/usr/bin/env bash
# The whole test suite under AddressSanitizer: a debug build of everything (GDCM, niftilib and libpng excepted:
# Debian's builds) instrumented, in its own build folder (.build-asan) so the normal build is kept. Leak
# detection is off: Foundation's FileManager.contents(atPath:) leaks a 4 KB buffer on an empty file.
#   bash scripts/test-asan.sh [--filter PATTERN]
set -euo pipefail
cd "$(dirname "$0")/.."
ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    swift test --disable-xctest --sanitize=address --scratch-path .build-asan "$@" 2>&1
