#!/bin/bash
# Configure work queue 0 of every IAA device for the iaa_crypto driver
# (dedicated, 128 entries, kernel type, driver "crypto"), with engine 0 in
# group 0, after re-registering deflate-iaa by reloading the module.

count=$(lspci -d:0cfe | wc -l)
echo "IAA devices on this machine: ${count}"

for ((n = 1; n < count * 2; n += 2)); do
    accel-config disable-wq iax${n}/wq${n}.0
    accel-config disable-device iax${n}
done

echo "reloading iaa_crypto"
rmmod iaa_crypto
modprobe iaa_crypto

for ((n = 1; n < count * 2; n += 2)); do
    accel-config config-wq --group-id=0 --mode=dedicated --wq-size=128 --priority=10 \
        --type=kernel --name="iaa_crypto" --driver-name="crypto" iax${n}/wq${n}.0
    accel-config config-engine iax${n}/engine${n}.0 --group-id=0
done

for ((n = 1; n < count * 2; n += 2)); do
    echo "enabling iax${n} and iax${n}/wq${n}.0"
    accel-config enable-device iax${n}
    accel-config enable-wq iax${n}/wq${n}.0
done
echo "all IAA devices enabled for iaa_crypto"
