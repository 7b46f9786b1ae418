/**
 * lspci's capability decoding on config bytes built for the purpose, against
 * lines real pciutils printed for such registers (public `lspci -vvv` dumps:
 * an NVIDIA GB10's PM at 0x40 and 64-bit maskable MSI at 0x48, an Intel
 * I350's MSI-X in BAR3), and the chain guards.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { showCaps } from "./lspci_caps.js";

function conf(build: (w16: (o: number, v: number) => void, w32: (o: number, v: number) => void, b: Uint8Array) => void, verbose = 3) {
  const bytes = new Uint8Array(4096);
  const dv = new DataView(bytes.buffer);
  build((o, v) => dv.setUint16(o, v, true), (o, v) => dv.setUint32(o, v >>> 0, true), bytes);
  return { bytes, verbose, hasMemBar: true };
}

test("power management and 64-bit maskable MSI print as pciutils 3.9 prints them", () => {
  const c = conf((w16, _w32, b) => {
    w16(0x06, 0x0010);
    b[0x34] = 0x40;
    b[0x40] = 0x01;
    b[0x41] = 0x48;
    w16(0x42, 0x0003);
    w16(0x44, 0x0008);
    b[0x48] = 0x05;
    b[0x49] = 0x00;
    w16(0x4a, 0x0188); // 64-bit, per-vector masking, 16 requested, 1 enabled
  });
  assert.equal(
    showCaps(c),
    [
      "\tCapabilities: [40] Power Management version 3",
      "\t\tFlags: PMEClk- DSI- D1- D2- AuxCurrent=0mA PME(D0-,D1-,D2-,D3hot-,D3cold-)",
      "\t\tStatus: D0 NoSoftRst+ PME-Enable- DSel=0 DScale=0 PME-",
      "\tCapabilities: [48] MSI: Enable- Count=1/16 Maskable+ 64bit+",
      "\t\tAddress: 0000000000000000  Data: 0000",
      "\t\tMasking: 00000000  Pending: 00000000",
      "",
    ].join("\n"),
  );
});

test("MSI-X in BAR3; -v prints header lines only; an unknown ID, a loop and a broken chain", () => {
  const msix = (verbose: number) =>
    conf((w16, w32, b) => {
      w16(0x06, 0x0010);
      b[0x34] = 0x70;
      b[0x70] = 0x11;
      w16(0x72, 0x8009);
      w32(0x74, 0x00000003);
      w32(0x78, 0x00002003);
    }, verbose);
  assert.equal(showCaps(msix(2)), "\tCapabilities: [70] MSI-X: Enable+ Count=10 Masked-\n\t\tVector table: BAR=3 offset=00000000\n\t\tPBA: BAR=3 offset=00002000\n");
  assert.equal(showCaps(msix(1)), "\tCapabilities: [70] MSI-X: Enable+ Count=10 Masked-\n");
  const odd = conf((w16, _w32, b) => {
    w16(0x06, 0x0010);
    b[0x34] = 0x40;
    b[0x40] = 0x15; // not known to pciutils either
    b[0x41] = 0x50;
    w16(0x42, 0x1234);
    b[0x50] = 0x01;
    b[0x51] = 0x40; // back to 0x40
    w16(0x52, 0x0002);
  }, 1);
  assert.equal(showCaps(odd), "\tCapabilities: [40] Capability ID 0x15 [1234]\n\tCapabilities: [50] Power Management version 2\n\tCapabilities: [40] <chain looped>\n");
  const broken = conf((w16, _w32, b) => {
    w16(0x06, 0x0010);
    b[0x34] = 0x40;
    b[0x40] = 0xff;
  });
  assert.equal(showCaps(broken), "\tCapabilities: [40] <chain broken>\n");
  assert.equal(showCaps(conf((w16, _w32, b) => ((b[0x34] = 0x40), w16(0x06, 0)))), "", "no capability list bit: nothing");
});
