/* SPDX-License-Identifier: Apache-2.0 */
/* cpw/lang.h: the language of the texts libcpw writes (explanations, refusals, diagrams,
 * indicator tables), its fixed words, and how it writes dates, numbers and money. */
#ifndef CPW_LANG_H
#define CPW_LANG_H

#include "common.h"

CPW_BEGIN_DECL

/**
 * Options of the calls that write text (cpw_evaluate_with, cpw_case_explain_with,
 * cpw_workflow_diagram_with, cpw_indicators_format_with). Start from CPW_TEXT_OPTIONS_INIT or
 * cpw_text_options_init(); the struct only grows at its end.
 *
 * `lang` is a language tag: "en" or "ka" (built in), a language the policy declares labels
 * for (`labels ru { ... }`), or "" for the policy's own names in English words (what every
 * text was before languages: identifiers such as months_abroad_irregular, ISO dates, "GEL").
 * NULL means the context's default (cpw_ctx_set_language; "" unless set). In a language,
 * names are shown by their labels (a name without one keeps its identifier), the library's
 * fixed words come from the language's catalogue, and dates, numbers and money are written as
 * the language writes them ("2026 წლის 12 აპრილი", "120 000", "200 ₾").
 */
typedef struct cpw_text_options {
  unsigned int version;   /**< CPW_TEXT_OPTIONS_VERSION */
  const char *lang;       /**< language tag, "" or NULL (the context's default) */
} cpw_text_options;

#define CPW_TEXT_OPTIONS_VERSION 1
#define CPW_TEXT_OPTIONS_INIT { CPW_TEXT_OPTIONS_VERSION, 0 }

/** Fill `opts` with the defaults of options `version` (lang NULL). CPW_EVERSION if version is
 *  0 or newer than this library; CPW_EINVALID if opts is NULL. */
CPW_API int cpw_text_options_init(cpw_text_options *opts, unsigned int version);

/**
 * Set the context's default language: the texts that calls without options write (cpw_evaluate
 * with CPW_EVAL_EXPLAIN, cpw_case_explain, cpw_workflow_diagram, cpw_indicators_format, the
 * gatekeeping explanations of cpw_registry_explain) are in it. `lang` is a tag as in
 * cpw_text_options; NULL or "" is the default. The tag is copied; whether a policy has that
 * language is known only when text is written (a call that returns a status then fails with
 * CPW_ENOTFOUND; cpw_case_explain and cpw_registry_explain fall back to the policy's names).
 * Errors: CPW_EINVALID (ctx NULL; a tag that is not letters, digits and '-', starting with a
 * letter, at most 35 characters).
 */
CPW_API int cpw_ctx_set_language(cpw_ctx *ctx, const char *lang);
/** The context's default language ("" unless set; "" for ctx NULL). Borrowed. */
CPW_API const char *cpw_ctx_language(const cpw_ctx *ctx);

/** The number of languages built into the library (their catalogues of fixed words). */
CPW_API size_t cpw_language_count(void);
/** The tag of built-in language `index` ("en", "ka"), or NULL. Static. */
CPW_API const char *cpw_language_tag(size_t index);
/** The name of a built-in language in itself ("English", "ქართული"), or NULL. Static. */
CPW_API const char *cpw_language_name(const char *lang);

/**
 * A fixed word or sentence template of a built-in language's catalogue, by key ("eligible",
 * "overdue", "unit_working_days", "refused_no_transition"; docs/policy-language.md lists the
 * keys). Templates hold {0}, {1}, {2} where their arguments go. lang "" or NULL is English.
 * NULL for an unknown key or language. Static.
 */
CPW_API const char *cpw_message(const char *lang, const char *key);

/** A date as `lang` writes it: "2026-04-12" (en, "") or "2026 წლის 12 აპრილი" (ka), into buf
 *  (NUL-terminated, cut between characters when too small). CPW_EINVALID for buf NULL, size 0,
 *  a date out of range or an unknown language (buf "" then). */
CPW_API int cpw_date_format_lang(char *buf, size_t size, cpw_date date, const char *lang);
/** An instant in the zone `offset_minutes` east of UTC: ISO 8601 (en, "") or
 *  "2026 წლის 12 აპრილი, 10:03" (ka). As cpw_date_format_lang. */
CPW_API int cpw_time_format_lang(char *buf, size_t size, cpw_time t, int offset_minutes,
                                 const char *lang);
/** Money (tetri): "200 GEL", "12.50 GEL" (en, "") or "200 ₾", "12,50 ₾" (ka). As
 *  cpw_date_format_lang. */
CPW_API int cpw_money_format_lang(char *buf, size_t size, cpw_money tetri, const char *lang);
/** A whole number: "120000" (en, "") or "120 000" (ka; groups from five digits on). As
 *  cpw_date_format_lang. */
CPW_API int cpw_number_format_lang(char *buf, size_t size, int64_t value, const char *lang);

CPW_END_DECL

#endif
