/* SPDX-License-Identifier: Apache-2.0 */
/* base/sha256.c: see sha256.h. Two implementations of the compression function, chosen once
 * at run time:
 *
 * - portable C: the 64 rounds are unrolled eight at a time with the working variables rotated by
 *   renaming instead of moved, and the message schedule is kept in a 16-word ring;
 * - on x86-64 with GCC or clang, the SHA extensions (sha256rnds2, sha256msg1/2, with SSSE3 and
 *   SSE4.1 shuffles), compiled for those instructions function by function (target attribute,
 *   no global -m flag) and used only when CPUID reports them. Other compilers and processors
 *   compile the portable code alone.
 *
 * The choice is the library's one piece of global mutable state, a cached fact about the
 * processor: a C11 atomic int read relaxed per block run, set by the first caller (first callers
 * racing all compute the same value; a compare-exchange keeps the first). CPUID is far too slow
 * to run per hash: about 55 microseconds for the two leaves in this virtual machine, where it
 * traps to the hypervisor. Valgrind (3.19) implements no SHA instruction and its CPUID hides the
 * SHA bit, so under valgrind the portable code runs.
 *
 * Measured throughput, one core of a 2.1 GHz AMD EPYC virtual machine, gcc 12 -O2 (clang 14 is
 * within noise), tests/bench/bench_sha256 (thread CPU time), portable -> SHA extensions:
 * 4 KiB messages 460 -> 1700 MB/s (about 9 -> 1.2 cycles per byte); one-shot 100-byte messages
 * 3.4 -> 12.5 million per second; journal chain links, SHA-256(32-byte previous hash || 100-byte
 * entry), three blocks, 2.25 -> 6.8 million per second. (-O3 gains nothing measurable for the
 * portable code.) */
#include "base/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__STDC_NO_ATOMICS__)
#  define CPW_SHA256_X86 1
#  include <cpuid.h>
#  include <immintrin.h>
#  include <stdatomic.h>
#endif

static const uint32_t K[64] = {
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
  0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
  0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
  0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
  0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
  0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
  0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
  0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
  0xc67178f2u
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define S0(x) (ROTR(x, 2) ^ ROTR(x, 13) ^ ROTR(x, 22))
#define S1(x) (ROTR(x, 6) ^ ROTR(x, 11) ^ ROTR(x, 25))
#define s0(x) (ROTR(x, 7) ^ ROTR(x, 18) ^ ((x) >> 3))
#define s1(x) (ROTR(x, 17) ^ ROTR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) (((x) & ((y) ^ (z))) ^ (z))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

static uint32_t load32be(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store32be(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One round: t is the round number, the eight names are the working variables a..h rotated. */
#define ROUND(a, b, c, d, e, f, g, h, t, w)                                    \
  do {                                                                         \
    uint32_t t1_ = (h) + S1(e) + CH(e, f, g) + K[t] + (w);                     \
    (d) += t1_;                                                                \
    (h) = t1_ + S0(a) + MAJ(a, b, c);                                          \
  } while (0)

/* The schedule word of round t >= 16, computed in the ring W[16]. */
#define WX(t)                                                                  \
  (W[(t) & 15] += s1(W[((t) - 2) & 15]) + W[((t) - 7) & 15] + s0(W[((t) - 15) & 15]))

#define EIGHT(t, w)                                                            \
  do {                                                                         \
    ROUND(a, b, c, d, e, f, g, h, (t) + 0, w((t) + 0));                        \
    ROUND(h, a, b, c, d, e, f, g, (t) + 1, w((t) + 1));                        \
    ROUND(g, h, a, b, c, d, e, f, (t) + 2, w((t) + 2));                        \
    ROUND(f, g, h, a, b, c, d, e, (t) + 3, w((t) + 3));                        \
    ROUND(e, f, g, h, a, b, c, d, (t) + 4, w((t) + 4));                        \
    ROUND(d, e, f, g, h, a, b, c, (t) + 5, w((t) + 5));                        \
    ROUND(c, d, e, f, g, h, a, b, (t) + 6, w((t) + 6));                        \
    ROUND(b, c, d, e, f, g, h, a, (t) + 7, w((t) + 7));                        \
  } while (0)

#define W0(t) W[t]

static void compress_portable(uint32_t state[8], const unsigned char *p, size_t blocks)
{
  uint32_t W[16];
  while (blocks-- != 0) {
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    int i;
    for (i = 0; i < 16; i++)
      W[i] = load32be(p + 4 * i);
    EIGHT(0, W0);
    EIGHT(8, W0);
    EIGHT(16, WX);
    EIGHT(24, WX);
    EIGHT(32, WX);
    EIGHT(40, WX);
    EIGHT(48, WX);
    EIGHT(56, WX);
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
    p += CPW__SHA256_BLOCK;
  }
}

#ifdef CPW_SHA256_X86
#  define CPW_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Registers hold the state as the instructions want it: abef = (A, B, E, F) and cdgh =
 * (C, D, G, H), A and C in the highest 32-bit lane. _mm_sha256rnds2_epu32(cdgh, abef, wk) does
 * two rounds with the W + K sums in the two low lanes of wk and returns the new (A, B, E, F);
 * the old one is then the new (C, D, G, H), so the two variables swap roles at every call. */

/* Four rounds from schedule words w (W[t..t+3], W[t] in lane 0) and K[t..t+3]. */
#  define SHA_ROUNDS4(w, t)                                                    \
    do {                                                                       \
      __m128i wk_ = _mm_add_epi32((w), _mm_loadu_si128((const __m128i *)(K + (t)))); \
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk_);                           \
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk_, 0x0e));  \
    } while (0)

/* W[t..t+3] from w0 = W[t-16..t-13], w1 = W[t-12..t-9], w2 = W[t-8..t-5], w3 = W[t-4..t-1]:
 * msg1 adds s0(W[t-15..t-12]) to w0, the alignr brings W[t-7..t-4], msg2 adds the s1 terms (of
 * W[t-2], W[t-1], then of the two new words). */
static CPW_SHA_TARGET __m128i sha_schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
  __m128i x = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
  return _mm_sha256msg2_epu32(x, w3);
}

static CPW_SHA_TARGET void compress_shani(uint32_t state[8], const unsigned char *p,
                                          size_t blocks)
{
  /* each 32-bit word from big-endian */
  const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
  /* lanes listed from lane 0 */
  __m128i lo = _mm_loadu_si128((const __m128i *)state);       /* A B C D */
  __m128i hi = _mm_loadu_si128((const __m128i *)(state + 4)); /* E F G H */
  __m128i abef, cdgh;
  lo = _mm_shuffle_epi32(lo, 0xb1);          /* B A D C */
  hi = _mm_shuffle_epi32(hi, 0x1b);          /* H G F E */
  abef = _mm_alignr_epi8(lo, hi, 8);         /* F E B A */
  cdgh = _mm_blend_epi16(hi, lo, 0xf0);      /* H G D C */
  while (blocks-- != 0) {
    const __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
    int t;
    SHA_ROUNDS4(w0, 0);
    SHA_ROUNDS4(w1, 4);
    SHA_ROUNDS4(w2, 8);
    SHA_ROUNDS4(w3, 12);
    for (t = 16; t < 64; t += 16) {
      w0 = sha_schedule(w0, w1, w2, w3);
      SHA_ROUNDS4(w0, t);
      w1 = sha_schedule(w1, w2, w3, w0);
      SHA_ROUNDS4(w1, t + 4);
      w2 = sha_schedule(w2, w3, w0, w1);
      SHA_ROUNDS4(w2, t + 8);
      w3 = sha_schedule(w3, w0, w1, w2);
      SHA_ROUNDS4(w3, t + 12);
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
    p += CPW__SHA256_BLOCK;
  }
  abef = _mm_shuffle_epi32(abef, 0x1b);                               /* A B E F */
  cdgh = _mm_shuffle_epi32(cdgh, 0xb1);                               /* G H C D */
  _mm_storeu_si128((__m128i *)state, _mm_blend_epi16(abef, cdgh, 0xf0));      /* A B C D */
  _mm_storeu_si128((__m128i *)(state + 4), _mm_alignr_epi8(cdgh, abef, 8)); /* E F G H */
}

enum { IMPL_UNKNOWN, IMPL_PORTABLE, IMPL_SHANI };
static atomic_int impl; /* IMPL_*, zero (unknown) until the first block */

/* SHA (CPUID.(EAX=7,ECX=0):EBX bit 29), SSSE3 and SSE4.1 (CPUID.1:ECX bits 9 and 19). They
 * use only the XMM registers, which every x86-64 system saves, so no XGETBV check. */
static int cpu_has_shani(void)
{
  unsigned int a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
    return 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
    return 0;
  return (b & (1u << 29)) != 0;
}

static int impl_get(void)
{
  int i = atomic_load_explicit(&impl, memory_order_relaxed);
  if (i == IMPL_UNKNOWN) {
    int expected = IMPL_UNKNOWN;
    i = cpu_has_shani() ? IMPL_SHANI : IMPL_PORTABLE;
    if (!atomic_compare_exchange_strong_explicit(&impl, &expected, i, memory_order_relaxed,
                                                 memory_order_relaxed))
      i = expected;
  }
  return i;
}

void cpw__sha256_force_portable(int on)
{
  atomic_store_explicit(&impl, on ? IMPL_PORTABLE : IMPL_UNKNOWN, memory_order_relaxed);
}

const char *cpw__sha256_impl(void)
{
  return impl_get() == IMPL_SHANI ? "x86 SHA extensions" : "portable";
}

static void compress(uint32_t state[8], const unsigned char *p, size_t blocks)
{
  if (impl_get() == IMPL_SHANI)
    compress_shani(state, p, blocks);
  else
    compress_portable(state, p, blocks);
}
#else
void cpw__sha256_force_portable(int on)
{
  (void)on;
}

const char *cpw__sha256_impl(void)
{
  return "portable";
}

#  define compress compress_portable
#endif

void cpw__sha256_init(cpw__sha256_ctx *ctx)
{
  static const uint32_t iv[8] = { 0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                  0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u };
  memcpy(ctx->state, iv, sizeof iv);
  ctx->total = 0;
  ctx->fill = 0;
}

void cpw__sha256_update(cpw__sha256_ctx *ctx, const void *data, size_t len)
{
  const unsigned char *p = data;
  if (len == 0)
    return;
  ctx->total += len;
  if (ctx->fill != 0) {
    size_t take = CPW__SHA256_BLOCK - ctx->fill;
    if (take > len)
      take = len;
    memcpy(ctx->block + ctx->fill, p, take);
    ctx->fill += take;
    p += take;
    len -= take;
    if (ctx->fill < CPW__SHA256_BLOCK)
      return;
    compress(ctx->state, ctx->block, 1);
    ctx->fill = 0;
  }
  if (len >= CPW__SHA256_BLOCK) {
    size_t blocks = len / CPW__SHA256_BLOCK;
    compress(ctx->state, p, blocks);
    p += blocks * CPW__SHA256_BLOCK;
    len -= blocks * CPW__SHA256_BLOCK;
  }
  if (len != 0) {
    memcpy(ctx->block, p, len);
    ctx->fill = len;
  }
}

void cpw__sha256_final(cpw__sha256_ctx *ctx, uint8_t out[32])
{
  uint64_t bits = ctx->total * 8;
  int i;
  ctx->block[ctx->fill++] = 0x80;
  if (ctx->fill > CPW__SHA256_BLOCK - 8) {
    memset(ctx->block + ctx->fill, 0, CPW__SHA256_BLOCK - ctx->fill);
    compress(ctx->state, ctx->block, 1);
    ctx->fill = 0;
  }
  memset(ctx->block + ctx->fill, 0, CPW__SHA256_BLOCK - 8 - ctx->fill);
  store32be(ctx->block + 56, (uint32_t)(bits >> 32));
  store32be(ctx->block + 60, (uint32_t)bits);
  compress(ctx->state, ctx->block, 1);
  for (i = 0; i < 8; i++)
    store32be(out + 4 * i, ctx->state[i]);
}

void cpw__sha256(const void *data, size_t len, uint8_t out[32])
{
  cpw__sha256_ctx ctx;
  cpw__sha256_init(&ctx);
  cpw__sha256_update(&ctx, data, len);
  cpw__sha256_final(&ctx, out);
}

void cpw__hex(char *out, const uint8_t *bytes, size_t n)
{
  static const char digits[] = "0123456789abcdef";
  size_t i;
  for (i = 0; i < n; i++) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 15];
  }
  out[2 * n] = '\0';
}
