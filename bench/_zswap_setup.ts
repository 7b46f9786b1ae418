/** The shell lines the machine benchmarks put zswap on deflate-iaa with (the documentation's zswap test's settings). */
export const ZSWAP_ON_DEFLATE_IAA = [
  "echo 0 > /sys/module/zswap/parameters/enabled",
  "echo 50 > /sys/module/zswap/parameters/max_pool_percent",
  "echo deflate-iaa > /sys/module/zswap/parameters/compressor",
  "echo 1 > /sys/module/zswap/parameters/enabled",
  "echo 100 > /proc/sys/vm/swappiness",
];
