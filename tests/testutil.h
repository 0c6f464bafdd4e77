/* testutil.h: running the emlint binary and reading files, for the Check tests. */
#pragma once

#include <check.h>
#include <glib.h>

typedef struct {
  char *out;
  char *err;
  int status; /* exit status; 128+N when killed by signal N */
} TestRun;

/* Runs the emlint binary ($EMLINT, behind $EMLINT_WRAPPER when set) with @argv (NULL-terminated, without the program), in @cwd
 * (NULL: the source root), feeding @input (NULL: nothing) on stdin. */
TestRun *test_emlint (const char *cwd, const char *input, const char *const *argv);
/* Runs @argv as given (argv[0] is the program), the same way. */
TestRun *test_spawn (const char *cwd, const char *input, const char *const *argv);
void test_run_free (TestRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestRun, test_run_free)

/* Runs @suite (taking it) and returns the exit status: 0 when every check passed, 1 when one
 * failed or when no check ran. */
int test_run_suite (Suite *suite);
/* The same in this process, unless CK_FORK is set (Check forks for each test by default). */
int test_run_suite_in_process (Suite *suite);
/* Prints "SKIP: " and the message on stdout and returns 77, meson's exit status for a skipped
 * test: for main() when the data or tool a test needs is missing. */
int test_skip (const char *format, ...) G_GNUC_PRINTF (1, 2);

const char *test_source_root (void);
/* The path of ../shared/corpus-ext ($EMLINT_CORPUS_EXT), or NULL when it is not there. */
const char *test_corpus_ext (void);
/* The paths of the files that corpus-ext's MANIFEST.tsv names (its first column, after the
 * heading), below @ext; a new array. NULL with @error when the MANIFEST cannot be read or names
 * no file: corpus-ext is there but broken, which fails a test (it never skips). */
GPtrArray *test_corpus_ext_files (const char *ext, GError **error);
/* A new temporary folder, removed with test_rmtree(). */
char *test_tmpdir (void);
void test_rmtree (const char *path);
/* A Check fixture: test_tmp_setup() makes @test_tmp, a new temporary folder, and @test_kept,
 * strings a test uses in passing; test_tmp_teardown() removes and frees both. */
extern char *test_tmp;
extern GPtrArray *test_kept;
void test_tmp_setup (void);
void test_tmp_teardown (void);
/* The file's contents (asserted readable). */
GBytes *test_read (const char *path);
void test_write (const char *path, const char *data, gssize len);
/* Asserts that @got (@len octets) is the sidecar file @path, or rewrites it when
 * EMLINT_REGENERATE is set (to be reviewed with git diff); @what names the case. */
void test_check_sidecar (const char *path, const char *got, gsize len, const char *what);
/* Asserts what the run of a corpus case shows: @run (the case @rel, "RULE/bad-NAME" or
 * "RULE/good-NAME", linted) exits 0, or 1 when it has an error, says nothing on stderr, and
 * reports RULE on a bad case only; its output is the sidecar @expect. */
void test_check_case (const char *rel, const TestRun *run, const char *expect);
/* Asserts that @cases (paths "RULE/bad-..." and "RULE/good-...") hold at least three bad and
 * two good cases of the rule @id; @folder (e.g. "corpus/") names where they are. */
void test_assert_rule_cases (const GPtrArray *cases, const char *id, const char *folder);
