/* SPDX-License-Identifier: Apache-2.0 */
/* policy/embedded.h: the default policy files compiled into the library (generated C array,
 * see cmake/EmbedPolicy.cmake). */
#ifndef CPW_POLICY_EMBEDDED_H
#define CPW_POLICY_EMBEDDED_H

typedef struct cpw__embedded_file {
  const char *name;
  const char *text;
  unsigned long len;
} cpw__embedded_file;

extern const cpw__embedded_file cpw__default_policy_files[];
extern const unsigned cpw__default_policy_file_count;

#endif
