/* escape.h: making message octets safe for terminals and JSON. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @s to @out with every control character (C0, DEL, C1), escape sequence and invalid
 * UTF-8 octet shown as \xNN, so that no octet of a message can drive a terminal. @len -1: up to
 * the NUL. Returns the number of characters appended (the display width, one per character). */
gsize emlint_escape_display (GString *out, const char *s, gssize len);

/* Appends @s as a JSON string literal, quotes included: valid UTF-8 is kept, controls are \u
 * escapes, and an octet that is not UTF-8 becomes the six characters \\xNN. */
void emlint_escape_json (GString *out, const char *s, gssize len);

/* Appends @name for a diff's ---/+++ line: as it is, or, when it holds a control octet, '"' or
 * '\\', C-quoted in double quotes as git and GNU diff write it (and patch reads it), so that no
 * name can end the line or add one to the diff. */
void emlint_quote_diff_name (GString *out, const char *name);

/* TRUE when @fd is a terminal that takes colours and cursor moves: not TERM=dumb (an editor's
 * shell buffer, a serial console), where they would show as raw escape sequences. */
gboolean emlint_terminal_draws (int fd);

/* Prints "emlint: PATH: WHAT\n" (without "PATH: " when @path is NULL) on standard error, both
 * escaped as emlint_escape_display() does: a path, and GLib's error texts, which repeat paths
 * and values raw, may hold any octet. Every error line goes through here. */
void emlint_print_error (const char *path, const char *what);

G_END_DECLS
