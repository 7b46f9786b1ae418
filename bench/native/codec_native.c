/*
 * Native peers for bench/codec.ts: libdeflate level 1 and ISA-L igzip levels
 * 0 and 1, raw DEFLATE, one 4 KiB page per call, output capped at 4096 bytes
 * (a page that does not fit counts 4096 and is not decompressed).
 *
 * Usage: codec_native PAGES_FILE REPS N1 [N2 ...]
 *   the file's pages are split into segments of N1, N2, ... pages (the
 *   benchmark's content classes, in order). Prints one line per codec and
 *   segment: "codec segment pages compressed_bytes compress_ns decompress_ns
 *   decompressed_bytes", times the best of REPS.
 * Built by the benchmark with the system compiler:
 *   cc -O2 -o codec_native codec_native.c -ldeflate -lisal
 */
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAGE 4096

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static struct libdeflate_compressor *ldc;
static struct libdeflate_decompressor *ldd;
static uint8_t *lvl1buf;

/* Compressed size (0 when it does not fit below PAGE). */
static size_t c_libdeflate(const uint8_t *in, uint8_t *out) {
  size_t n = libdeflate_deflate_compress(ldc, in, PAGE, out, PAGE);
  return n >= PAGE ? 0 : n;
}

static size_t d_libdeflate(const uint8_t *in, size_t n, uint8_t *out) {
  size_t got = 0;
  if (libdeflate_deflate_decompress(ldd, in, n, out, PAGE, &got) != LIBDEFLATE_SUCCESS) return 0;
  return got;
}

static size_t c_isal(const uint8_t *in, uint8_t *out, int level) {
  struct isal_zstream s;
  isal_deflate_stateless_init(&s);
  s.next_in = (uint8_t *)in;
  s.avail_in = PAGE;
  s.next_out = out;
  s.avail_out = PAGE;
  s.end_of_stream = 1;
  s.flush = NO_FLUSH;
  s.gzip_flag = IGZIP_DEFLATE;
  s.hist_bits = 12;
  s.level = level;
  if (level > 0) {
    s.level_buf = lvl1buf;
    s.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
  }
  if (isal_deflate_stateless(&s) != COMP_OK) return 0;
  return s.total_out >= PAGE ? 0 : s.total_out;
}
static size_t c_isal0(const uint8_t *in, uint8_t *out) { return c_isal(in, out, 0); }
static size_t c_isal1(const uint8_t *in, uint8_t *out) { return c_isal(in, out, 1); }

static size_t d_isal(const uint8_t *in, size_t n, uint8_t *out) {
  struct inflate_state st;
  isal_inflate_init(&st);
  st.next_in = (uint8_t *)in;
  st.avail_in = (uint32_t)n;
  st.next_out = out;
  st.avail_out = PAGE;
  st.crc_flag = ISAL_DEFLATE;
  if (isal_inflate_stateless(&st) != ISAL_DECOMP_OK) return 0;
  return st.total_out;
}

struct codec {
  const char *name;
  size_t (*c)(const uint8_t *, uint8_t *);
  size_t (*d)(const uint8_t *, size_t, uint8_t *);
};

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: codec_native PAGES_FILE REPS N1 [N2 ...]\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  size_t pages = (size_t)size / PAGE;
  uint8_t *data = malloc(pages * PAGE + 1);
  if (fread(data, 1, pages * PAGE, f) != pages * PAGE) { perror("read"); return 1; }
  fclose(f);
  int reps = atoi(argv[2]);
  int nseg = argc - 3;
  size_t *segn = calloc(nseg, sizeof *segn);
  size_t total = 0;
  for (int i = 0; i < nseg; i++) { segn[i] = strtoul(argv[3 + i], 0, 10); total += segn[i]; }
  if (total > pages) { fprintf(stderr, "codec_native: segments want %zu pages, the file has %zu\n", total, pages); return 2; }
  ldc = libdeflate_alloc_compressor(1);
  ldd = libdeflate_alloc_decompressor();
  lvl1buf = malloc(ISAL_DEF_LVL1_DEFAULT);
  uint8_t *z = malloc(total * PAGE);
  size_t *zn = malloc(total * sizeof *zn);
  uint8_t back[PAGE];
  struct codec codecs[] = {
    {"libdeflate-1", c_libdeflate, d_libdeflate},
    {"isal-0", c_isal0, d_isal},
    {"isal-1", c_isal1, d_isal},
  };
  for (size_t k = 0; k < sizeof codecs / sizeof codecs[0]; k++) {
    struct codec *cd = &codecs[k];
    size_t first = 0;
    for (int s = 0; s < nseg; s++) {
      uint64_t bestc = UINT64_MAX, bestd = UINT64_MAX;
      size_t bytes = 0, dbytes = 0;
      for (int r = 0; r < reps; r++) {
        bytes = 0;
        dbytes = 0;
        uint64_t t0 = now_ns();
        for (size_t p = first; p < first + segn[s]; p++) zn[p] = cd->c(data + p * PAGE, z + p * PAGE);
        uint64_t t1 = now_ns();
        for (size_t p = first; p < first + segn[s]; p++) {
          if (zn[p] == 0) continue;
          size_t got = cd->d(z + p * PAGE, zn[p], back);
          if (got != PAGE || memcmp(back, data + p * PAGE, PAGE) != 0) {
            fprintf(stderr, "codec_native: %s: page %zu does not round-trip\n", cd->name, p);
            return 1;
          }
          dbytes += PAGE;
        }
        uint64_t t2 = now_ns();
        for (size_t p = first; p < first + segn[s]; p++) bytes += zn[p] == 0 ? PAGE : zn[p];
        if (t1 - t0 < bestc) bestc = t1 - t0;
        if (t2 - t1 < bestd) bestd = t2 - t1;
      }
      printf("%s %d %zu %zu %llu %llu %zu\n", cd->name, s, segn[s], bytes, (unsigned long long)bestc, (unsigned long long)bestd, dbytes);
      first += segn[s];
    }
  }
  return 0;
}
