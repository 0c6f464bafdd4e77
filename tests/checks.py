"""checks.py: what the Python tests share: counted checks, the source tree's files, and the
summary line the house asks of every test ("N passed, N failed"). Standard library only."""

import os
import sys

ROOT = os.environ["EMLINT_SOURCE_ROOT"]
passed = failed = 0


def check(ok, what):
    """Counts @ok; prints @what when it failed."""
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def read(*path):
    """The text of a file of the source tree."""
    with open(os.path.join(ROOT, *path), encoding="utf-8") as f:
        return f.read()


def finish():
    """Prints the summary and exits 1 when a check failed."""
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
