#!/bin/bash
# Unbind work queue 0 of every IAA device and disable the devices,
# so that they can be configured afresh.

count=$(lspci -d:0cfe | wc -l)
echo "IAA devices on this machine: ${count}"

for ((n = 1; n < count * 2; n += 2)); do
    echo "disabling iax${n}/wq${n}.0 and iax${n}"
    accel-config disable-wq iax${n}/wq${n}.0
    accel-config disable-device iax${n}
done
echo "all IAA devices disabled"
