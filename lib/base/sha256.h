/* SPDX-License-Identifier: Apache-2.0 */
/* base/sha256.h: SHA-256 (FIPS 180-4), the hash of the journal's tamper-evident chain. */
#ifndef CPW_SHA256_H
#define CPW_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define CPW__SHA256_SIZE 32
#define CPW__SHA256_BLOCK 64

typedef struct cpw__sha256_ctx {
  uint32_t state[8];
  uint64_t total;                        /* bytes hashed so far */
  size_t fill;                           /* bytes waiting in block */
  unsigned char block[CPW__SHA256_BLOCK];
} cpw__sha256_ctx;

void cpw__sha256_init(cpw__sha256_ctx *ctx);
/* Hash data[0..len) (data may be NULL when len is 0). */
void cpw__sha256_update(cpw__sha256_ctx *ctx, const void *data, size_t len);
/* Write the digest to out; ctx must be initialised again before it is reused. */
void cpw__sha256_final(cpw__sha256_ctx *ctx, uint8_t out[32]);
/* One shot: the digest of data[0..len). */
void cpw__sha256(const void *data, size_t len, uint8_t out[32]);

/* Test hooks. The compression function has a portable implementation and, on x86-64 built by GCC
 * or clang, one using the SHA extensions when the processor has them (chosen once, on first use).
 * cpw__sha256_force_portable(1) makes every later block use the portable code; (0) returns to
 * the automatic choice. Not to be called while another thread hashes (it may see either code).
 * cpw__sha256_impl() names the implementation in use: "portable" or "x86 SHA extensions". */
void cpw__sha256_force_portable(int on);
const char *cpw__sha256_impl(void);

/* Lowercase hexadecimal of bytes[0..n) into out, which must hold 2 * n + 1 chars (NUL-terminated). */
void cpw__hex(char *out, const uint8_t *bytes, size_t n);

#endif
