/* html.h: --format html, one self-contained page to share: no network, no script, no font
 * files; charts are inline SVG. Every octet that comes from a message is escaped. */
#pragma once

#include <stdio.h>

#include "tally.h"

G_BEGIN_DECLS

/* Writes the page for @tally (which kept the details: EMLINT_RECORD_DETAILS) to @out. */
void emlint_html_write (const EmlintTally *tally, FILE *out);

/* Appends @s as HTML text or attribute value: controls and invalid UTF-8 as \xNN (like the
 * terminal), then & < > " ' as character references. */
void emlint_html_escape (GString *out, const char *s);

G_END_DECLS
