/* base/sha256.c: see sha256.h. Portable C: the 64 rounds are unrolled eight at a time with the
 * working variables rotated by renaming instead of moved, and the message schedule is kept in a
 * 16-word ring.
 *
 * Measured throughput (gcc 12 and clang 14 at -O2, one core of a 2.1 GHz AMD EPYC virtual
 * machine, tests/unit/test_sha256.c's speed test): 400 to 455 MB/s for long messages (about 9
 * cycles per byte); 2.1 to 2.25 million chain links per second, each SHA-256(32-byte previous
 * hash || 100-byte entry), three blocks; about 3 million one-shot 100-byte messages per second.
 * (-O3 gains nothing measurable.) */
#include "base/sha256.h"

#include <string.h>

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

static void compress(uint32_t state[8], const unsigned char *p, size_t blocks)
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
