/* output.h: writing repaired files safely: a temporary file beside the destination, fsync,
 * rename. The destination is never seen half written, and an interrupt leaves no temporary. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EmlintOutput EmlintOutput;

/* Opens a temporary file in the folder of @dest. When @like is not NULL the result takes its
 * mode, and (with @keep_owner_and_time) its owner, group and times. "-" writes to stdout. */
EmlintOutput *emlint_output_open (const char *dest, const char *like, gboolean keep_owner_and_time,
                                  GError **error);
gboolean emlint_output_write (EmlintOutput *output, const void *data, gsize len, GError **error);
/* fsync, rename over @dest. Frees @output, also on failure (the temporary is removed then). */
gboolean emlint_output_commit (EmlintOutput *output, GError **error);
/* Removes the temporary and frees @output. */
void emlint_output_abort (EmlintOutput *output);

/* SIGINT and SIGTERM remove the temporary being written before the process ends. */
void emlint_output_install_signal_handlers (void);

G_END_DECLS
