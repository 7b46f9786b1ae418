/**
 * rand() as mawk 1.3.4 has it on Debian: glibc's random() (the additive
 * feedback generator of random_r.c, TYPE_3: 31 words, separation 3) seeded
 * by srandom(), divided by RAND_MAX. So `srand(1); rand()` gives
 * 0.840188 on the machine as on the host.
 */

const DEG = 31;
const SEP = 3;
const RAND_MAX = 0x7fffffff;

export class GlibcRandom {
  private readonly r = new Int32Array(DEG);
  /** Front and rear positions in `r` (glibc's fptr and rptr). */
  private f = SEP;
  private b = 0;

  constructor(seed = 1) {
    this.seed(seed);
  }

  // glibc: stdlib/random_r.c __srandom_r()
  seed(seed: number): void {
    let word = seed >>> 0 === 0 ? 1 : seed | 0;
    const r = this.r;
    r[0] = word;
    for (let i = 1; i < DEG; i++) {
      // 16807 * word % 2147483647 without overflow (Schrage's method), as glibc computes it
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.f = SEP;
    this.b = 0;
    for (let i = 0; i < 10 * DEG; i++) this.next();
  }

  // glibc: stdlib/random_r.c __random_r()
  next(): number {
    const r = this.r;
    const v = (r[this.f]! + r[this.b]!) | 0;
    r[this.f] = v;
    this.f = (this.f + 1) % DEG;
    this.b = (this.b + 1) % DEG;
    return (v >>> 1) & 0x7fffffff;
  }

  /** rand(): in [0, 1]. */
  rand(): number {
    return this.next() / RAND_MAX;
  }
}
