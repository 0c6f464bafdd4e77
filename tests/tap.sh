# tap.sh, sourced by the shell tests that keep a command's output in $work/out: counts their
# checks and prints one line each ("ok - WHAT", or "not ok - WHAT" and then $work/out indented);
# `tap_summary` prints the line that ends every test and is true when nothing failed.
passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail()
{
    failures=$((failures + 1))
    echo "not ok - $1"
    [ -s "$work/out" ] && sed 's/^/#   /' "$work/out"
}
tap_summary()
{
    echo "$passes passed, $failures failed"
    [ "$failures" -eq 0 ]
}
