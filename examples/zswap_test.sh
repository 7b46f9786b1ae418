#!/bin/bash
# zswap on deflate-iaa: swap 100 pages out through IAA and back in,
# then show what the driver and zswap counted, and tear zswap down again.

step() { echo; echo "==> $*"; }

step "load the IAA crypto driver (the default configuration comes up by itself)"
modprobe iaa_crypto
echo "iax1: $(cat /sys/bus/dsa/devices/iax1/state), wq1.0: $(cat /sys/bus/dsa/devices/iax1/wq1.0/state)"
dmesg | grep -i "iaa_crypto now" | tail -n 1

step "turn on the driver's debug messages"
echo -n 'module iaa_crypto +p' > /sys/kernel/debug/dynamic_debug/control
echo -n 'module idxd +p' > /sys/kernel/debug/dynamic_debug/control

step "put zswap on deflate-iaa"
echo 0 > /sys/module/zswap/parameters/enabled
echo 50 > /sys/module/zswap/parameters/max_pool_percent
echo deflate-iaa > /sys/module/zswap/parameters/compressor
echo zsmalloc > /sys/module/zswap/parameters/zpool
echo 1 > /sys/module/zswap/parameters/enabled
echo 100 > /proc/sys/vm/swappiness
echo never > /sys/kernel/mm/transparent_hugepage/enabled
echo 1 > /proc/sys/vm/overcommit_memory
for p in enabled compressor zpool max_pool_percent; do
    echo "zswap $p = $(cat /sys/module/zswap/parameters/$p)"
done

step "swap 100 pages out and in"
dmesg -c > /dev/null
echo 1 > /sys/kernel/debug/iaa-crypto/stats_reset
cd /root
./memory_madvise 100

step "what the driver counted"
cat /sys/kernel/debug/iaa-crypto/global_stats

step "what zswap counted"
for f in stored_pages pool_total_size reject_compress_fail reject_compress_poor written_back_pages; do
    echo "$f: $(cat /sys/kernel/debug/zswap/$f)"
done
grep -E '^(zswpin|zswpout|pswpin|pswpout) ' /proc/vmstat

step "the first page's trip through the driver (dmesg): out, then back in 5 seconds later"
dmesg | grep -E 'iaa_(comp_acompress|compress|compress_verify):' | head -n 4
dmesg | grep -E 'iaa_(comp_adecompress|decompress):' | head -n 3

step "take zswap off deflate-iaa"
echo lzo > /sys/module/zswap/parameters/compressor
swapoff -a
echo 0 > /sys/module/zswap/parameters/accept_threshold_percent
echo 0 > /sys/module/zswap/parameters/max_pool_percent
echo 0 > /sys/module/zswap/parameters/enabled
swapon -a
echo "zswap enabled = $(cat /sys/module/zswap/parameters/enabled), compressor = $(cat /sys/module/zswap/parameters/compressor)"
