/* edits.h: the header edits that turn the fields a milter saw into the repaired ones, in the
 * terms of the milter API (smfi_chgheader, smfi_insheader, smfi_addheader). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  EMLINT_MILTER_CHANGE, /* smfi_chgheader (name, index, value); value NULL deletes */
  EMLINT_MILTER_INSERT, /* smfi_insheader (index, name, value) */
  EMLINT_MILTER_ADD,    /* smfi_addheader (name, value): after the last field */
} EmlintMilterEditKind;

typedef struct {
  EmlintMilterEditKind kind;
  char *name;
  guint index; /* CHANGE: 1-based occurrence of the name; INSERT: 0-based position */
  char *value; /* as passed to the MTA: lines joined by "\n" */
} EmlintMilterEdit;

/* The edits from @before to @after (arrays of EmlintMilterField*, compared by name, ignoring
 * ASCII case, and value), in the order they must be applied: from the last field up, so that
 * the index of every edit still counts the fields as the MTA holds them. NULL with @error when
 * the two differ too much to align (the caller then leaves the message alone). Returns a new
 * array of EmlintMilterEdit* that frees its elements. */
GPtrArray *emlint_milter_diff_fields (GPtrArray *before, GPtrArray *after, GError **error);

/* The fields of the header section @data (@len octets, up to its blank line or its end), as a
 * milter passes them (see EmlintMilterField). NULL with @error when a line is neither a field
 * nor a continuation, or octets follow the blank line. Returns a new array of
 * EmlintMilterField* that frees its elements. */
GPtrArray *emlint_milter_split_header (const char *data, gsize len, GError **error);

/* The edits that turn @fields (as the MTA passed them, written by the milter into @header) into
 * the fields of @repaired, the header the fixes made of @header. NULL with @error when @header
 * does not split back into @fields (the MTA and the milter would then count fields differently,
 * and no index could be trusted) or when emlint_milter_diff_fields() fails. Returns a new array
 * of EmlintMilterEdit* that frees its elements. */
GPtrArray *emlint_milter_header_edits (GPtrArray *fields, GBytes *header, GBytes *repaired,
                                       GError **error);

/* @kind with copies of @name and @value. Free with emlint_milter_edit_free(). */
EmlintMilterEdit *emlint_milter_edit_new (EmlintMilterEditKind kind, const char *name, guint index,
                                          const char *value);
void emlint_milter_edit_free (EmlintMilterEdit *edit);

G_END_DECLS
