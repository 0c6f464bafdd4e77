/* registry.c: the rule table, generated from rules.def. */
#include "rule.h"

#define EMLINT_RULE(name) extern const EmlintRule emlint_rule_##name;
#include "rules.def"
#undef EMLINT_RULE

static const EmlintRule *const registry[] = {
#define EMLINT_RULE(name) &emlint_rule_##name,
#include "rules.def"
#undef EMLINT_RULE
};

const EmlintRule *const *
emlint_rules (guint *n_rules)
{
  *n_rules = G_N_ELEMENTS (registry);
  return registry;
}

const EmlintRule *
emlint_rule_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (registry); i++)
    if (g_strcmp0 (registry[i]->id, id) == 0)
      return registry[i];
  return NULL;
}

guint
emlint_rule_index (const EmlintRule *rule)
{
  for (guint i = 0; i < G_N_ELEMENTS (registry); i++)
    if (registry[i] == rule)
      return i;
  g_return_val_if_reached (0);
}

const char *
emlint_fixable_name (EmlintFixable fixable)
{
  static const char *const names[] = { "none", "fix", "unsafe" };

  return names[fixable];
}
