/* SPDX-License-Identifier: Apache-2.0 */
/* base/utf8.h: strict UTF-8 validation and encoding (RFC 3629). */
#ifndef CPW_UTF8_H
#define CPW_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is valid UTF-8, else 0. Strict: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. NUL bytes (U+0000) are
 * valid. s may be NULL when len is 0. */
int cpw__utf8_valid(const char *s, size_t len);

/* The length (2 to 4) of the valid multi-byte sequence at s[0..avail), whose first byte is
 * >= 0x80; 0 when it is not a valid sequence (bad lead byte, overlong, surrogate, above
 * U+10FFFF, bad or missing continuation byte). */
size_t cpw__utf8_seq(const unsigned char *s, size_t avail);

/* Encode the code point cp into out; returns the number of bytes (1 to 4), or 0 when cp is a
 * surrogate or above U+10FFFF (nothing written). */
size_t cpw__utf8_encode(char out[4], uint32_t cp);

/* Make the NUL-terminated s valid UTF-8 in place: each byte that does not begin a valid
 * sequence (input quoted in a message, or cut short by a length limit) becomes '?'. */
void cpw__utf8_sanitize(char *s);

/* What is wrong with s as an id (a case, child, actor or facility id): NULL when it is fine,
 * else a phrase for a message ("is empty", "is longer than 256 bytes", "is not valid UTF-8",
 * "holds a control character (a line break?)", "begins or ends with a space"). An id is 1 to
 * `max` bytes of UTF-8 with no control character and no space at either end. */
const char *cpw__id_problem(const char *s, size_t max);

#endif
