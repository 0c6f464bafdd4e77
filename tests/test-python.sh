#!/bin/sh
# The Python binding (python/emlint.py) and its example app test (python/test_emlint.py),
# against the libemlint.so just built. Usage: test-python.sh LIBEMLINT. SKIP (77) without
# python3, or when libemlint carries a sanitizer runtime that python3 cannot load.
set -u
lib=$1
src=${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }

. "$src/tests/sanitizer-runtime.sh"
preload_sanitizer_runtime "$lib" \
  || { echo "SKIP: $lib needs a sanitizer runtime python3 cannot load"; exit 77; }
cd "$src/python" || exit 1
EMLINT_LIBRARY=$lib PYTHONDONTWRITEBYTECODE=1 exec python3 -m unittest -v test_emlint
