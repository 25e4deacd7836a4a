/* SPDX-License-Identifier: Apache-2.0 */
/* policy/labels.h: labels per language, declared beside the rules and kept out of them.
 *
 *   labels ka "ქართული" {
 *     field birth_date "დაბადების თარიღი"
 *     value citizenship.georgian "საქართველოს მოქალაქე"
 *     program tsa_child_benefit "მიზნობრივი სოციალური დახმარება: ბავშვის ფულადი დახმარება"
 *     service reintegration_assistance.medical "სამედიცინო მომსახურება და მედიკამენტები"
 *     state referral.notified "შეტყობინება მიღებულია"
 *     role supervisor "პროფესიული ზედამხედველი"
 *     holiday "New Year's Day" "ახალი წელი"
 *     reason "the facility is full" "დაწესებულებაში თავისუფალი ადგილი არ არის"
 *     message eligible "აკმაყოფილებს პირობებს"
 *   }
 *
 * One line per name: a kind, the name (dotted where it belongs to something: a value to its
 * field, a state to its workflow; quoted where the policy names it by a text: holidays,
 * regions, gatekeeping reasons) and the label. Kinds: policy (no name), calendar, holiday,
 * field, value, define, param, program, benefit, service, workflow, state, event, role,
 * setting, facility, region, reason; `field wf.f` and `value wf.f.m` are a workflow's case
 * fields. `message KEY "text"` rewords a fixed word of the catalogue (base/lang.h), or gives
 * it in a language the library does not have built in. A role is labelled once for every
 * workflow (and the placement rules) that names it.
 *
 * The checker warns about a label for a name the policy does not have, and, for every
 * language declared, about each user-visible name without a label in it.
 *
 * This header is the compiled labels and their look-ups, for the engines; the syntax and the
 * checker are in labels_syntax.h. */
#ifndef CPW_POLICY_LABELS_H
#define CPW_POLICY_LABELS_H

#include "base/lang.h"
#include "base/map.h"
#include "policy/policy_int.h"

/* ---------------------------------------------------------------- compiled */
typedef struct cpw__labels {
  const char *tag;           /* "ka" */
  const char *title;         /* "ქართული" ("" when not given) */
  cpw__map index;            /* "kind:name" -> texts[i] */
  const char **keys;         /* keys[i] is the "kind:name" of texts[i] */
  const char **texts;
  uint32_t ntexts, cap;
  const char *msgs[MSG__COUNT];  /* the words: the built-in language's, reworded */
  cpw__lang lang;            /* this language (msg = msgs) */
  const char *file;          /* where it is first declared */
  int line, col;
} cpw__labels;

void cpw__labels_free_maps(struct cpw_policy *pol);

/* The labels a policy declares for `tag`, or NULL. */
const cpw__labels *cpw__labels_find(const struct cpw_policy *pol, const char *tag);
/* The language `tag` means for a policy: its labels' language when it declares labels for the
 * tag, else the built-in one ("en", "ka"), "" or NULL the policy's own names; NULL when the
 * tag is neither. */
const cpw__lang *cpw__policy_lang(const struct cpw_policy *pol, const char *tag);
/* The label of a name ("field", "citizenship") in a language (NULL: none; lang may be
 * NULL). */
const char *cpw__label(const struct cpw_policy *pol, const cpw__lang *lang, const char *kind,
                       const char *name, size_t name_len);
/* The label of a member of enum `enum_id` in `lang`: the label of that value of the first
 * field of the policy (or of workflow `wf`, when not NULL) that has it; NULL if none. */
const char *cpw__enum_label(const struct cpw_policy *pol, const cpw__lang *lang,
                            const struct cpw_workflow *wf, uint16_t enum_id, uint32_t member);

#endif
