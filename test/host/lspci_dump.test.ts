/**
 * The machine's capability decoding against the host's real lspci (Debian's
 * pciutils 3.9) on the same bytes: each config space is written as a hex dump
 * that `lspci -F` reads, and the "Capabilities:" part of its -v, -vv and -vvv
 * output must equal ours letter for letter. The spaces are the IAA and DSA
 * functions in several states and hand-built ones for the decoders the
 * machine's devices do not reach (MSI, TPH and VC variants, DSN, unknown IDs,
 * looped and broken chains).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPR_DSA_CAPS, SPR_IAA_CAPS } from "../../src/hw/caps.js";
import { idxdConfigSpace, type PciFunctionState } from "../../src/hw/pci_config.js";
import { showCaps } from "../../src/shell/commands/lspci_caps.js";
import { inCi } from "../helpers/repo_root.js";

const LSPCI = "/usr/bin/lspci";

function dumpText(bytes: Uint8Array): string {
  let s = "00:01.0 dump\n";
  for (let i = 0; i < bytes.length; i += 16) s += `${i.toString(16).padStart(2, "0")}: ${[...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}\n`;
  return s;
}

/** Real lspci's lines from the first "Capabilities:" on (kernel lines and the blank line dropped). */
function realCaps(dir: string, bytes: Uint8Array, verbose: number): string {
  const file = join(dir, "dump.txt");
  writeFileSync(file, dumpText(bytes));
  const r = spawnSync(LSPCI, ["-F", file, "-" + "v".repeat(verbose)], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split("\n");
  const first = lines.findIndex((l) => l.startsWith("\tCapabilities:"));
  if (first < 0) return "";
  return lines.slice(first).filter((l) => l !== "" && !l.startsWith("\tKernel ")).map((l) => l + "\n").join("");
}

function hasMemBar(b: Uint8Array): boolean {
  const dv = new DataView(b.buffer, b.byteOffset);
  for (let i = 0; i < 6; i++) {
    const v = dv.getUint32(0x10 + 4 * i, true);
    if (v !== 0 && (v & 1) === 0) return true;
  }
  return false;
}

function build(f: (w16: (o: number, v: number) => void, w32: (o: number, v: number) => void, b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(4096);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 0x8086, true);
  dv.setUint16(2, 0x0cfe, true);
  dv.setUint16(6, 0x0010, true);
  b[0x0b] = 0x08;
  b[0x0a] = 0x80;
  f((o, v) => dv.setUint16(o, v, true), (o, v) => dv.setUint32(o, v >>> 0, true), b);
  return b;
}

const ext = (w32: (o: number, v: number) => void, o: number, id: number, ver: number, next: number): void => w32(o, id | (ver << 16) | (next << 20));

function spaces(): [string, Uint8Array][] {
  const st = (p: Partial<PciFunctionState>): PciFunctionState => ({ bound: true, everBound: true, iommuScalable: true, pri: true, ...p });
  const bars = { bar0: 0x206ffff40000, bar2: 0x206ffff00000 };
  const out: [string, Uint8Array][] = [
    ["IAA bound", idxdConfigSpace(SPR_IAA_CAPS, { ...bars, state: st({}) })],
    ["DSA bound", idxdConfigSpace(SPR_DSA_CAPS, { ...bars, state: st({}) })],
    ["IAA after rmmod", idxdConfigSpace(SPR_IAA_CAPS, { ...bars, state: st({ bound: false, pri: false }) })],
    ["DSA, no IOMMU, never bound", idxdConfigSpace(SPR_DSA_CAPS, { ...bars, state: st({ bound: false, everBound: false, iommuScalable: false, pri: false }) })],
  ];
  out.push([
    "MSI 32-bit and 64-bit, MSI-X masked, unknown ID, Null",
    build((w16, w32, b) => {
      b[0x34] = 0x40;
      b[0x40] = 0x05;
      b[0x41] = 0x50;
      w16(0x42, 0x0025); // enabled, 4 of 4? (qmask 2, qsize 2)
      w32(0x44, 0xfee00000);
      w16(0x48, 0x4021);
      b[0x50] = 0x05;
      b[0x51] = 0x68;
      w16(0x52, 0x01f9); // 64-bit, maskable, enabled, 32/8
      w32(0x54, 0xfee00004);
      w32(0x58, 0x1);
      w16(0x5c, 0x0041);
      w32(0x60, 0x5);
      w32(0x64, 0x2);
      b[0x68] = 0x11;
      b[0x69] = 0x78;
      w16(0x6a, 0x4000 | 63);
      w32(0x6c, 0x00010004);
      w32(0x70, 0x00018004);
      b[0x78] = 0x0c;
      b[0x79] = 0x80;
      w16(0x7a, 0xbeef);
      b[0x80] = 0x00;
      b[0x81] = 0x00;
    }),
  ]);
  out.push([
    "RCiEP v1, PM with bridge bits, chain loop",
    build((w16, _w32, b) => {
      b[0x34] = 0x40;
      b[0x40] = 0x10;
      b[0x41] = 0x60;
      w16(0x42, 0x0291); // v1, RCiEP, MSI 01
      b[0x60] = 0x01;
      b[0x61] = 0x40;
      w16(0x62, 0xfe6b); // PME from all, D1 D2, aux 375mA, DSI, PMEClk, v3
      w16(0x64, 0xe10b);
      b[0x66] = 0xc0;
    }),
  ]);
  out.push([
    "RCiEP v2 DevCap2/DevCtl2 variants and extended: LTR, TPH, VC with arbitration table, DSN, DVSEC, Power Budgeting, unknown, looped",
    build((w16, w32, b) => {
      b[0x34] = 0x40;
      b[0x40] = 0x10;
      b[0x41] = 0x00;
      w16(0x42, 0x0092);
      w32(0x44, 0x10008fff);
      w16(0x48, 0xffff);
      w16(0x4a, 0x003f);
      w32(0x64, 0x87ef0fff);
      w16(0x68, 0x7fff);
      ext(w32, 0x100, 0x0018, 1, 0x110);
      w16(0x104, 0x1003 | (2 << 10));
      w16(0x106, 0x03ff | (5 << 10));
      ext(w32, 0x110, 0x0017, 1, 0x120);
      w32(0x114, 0x0506);
      ext(w32, 0x120, 0x0002, 1, 0x180);
      w32(0x124, 0x0000_0f72);
      w32(0x128, 0x0200_00ff);
      w16(0x12c, 0x000e);
      w16(0x12e, 0x0001);
      w32(0x130, 0x0503_807f);
      w32(0x134, 0x8007_00ff);
      w16(0x13a, 0x0003);
      w32(0x13c, 0x0000_0000);
      w32(0x140, 0x0000_0000);
      ext(w32, 0x180, 0x0003, 1, 0x190);
      w32(0x184, 0x12345678);
      w32(0x188, 0x9abcdef0);
      ext(w32, 0x190, 0x0023, 1, 0x1b0);
      w32(0x194, 0x1234 | (3 << 16) | (12 << 20));
      w16(0x198, 0x0042);
      ext(w32, 0x1b0, 0x0004, 1, 0x1c0);
      ext(w32, 0x1c0, 0x0030, 1, 0x100);
    }),
  ]);
  out.push([
    "AER with root-less endpoint bits, ATS, PRI, PASID with every bit",
    build((w16, w32, b) => {
      b[0x34] = 0x40;
      b[0x40] = 0x10;
      w16(0x42, 0x0092);
      ext(w32, 0x100, 0x0001, 2, 0x140);
      w32(0x104, 0x003ff030);
      w32(0x108, 0x00155000);
      w32(0x10c, 0x002aa030);
      w32(0x110, 0x000031c1);
      w32(0x114, 0x00002000);
      w32(0x118, 0x00001fff);
      w32(0x11c, 0x11111111);
      w32(0x120, 0x22222222);
      w32(0x124, 0x33333333);
      w32(0x128, 0x44444444);
      ext(w32, 0x140, 0x000f, 1, 0x150);
      w16(0x144, 0x001f);
      w16(0x146, 0x801f);
      ext(w32, 0x150, 0x0013, 1, 0x160);
      w16(0x154, 0x0003);
      w16(0x156, 0x0103);
      w32(0x158, 0xffffffff);
      w32(0x15c, 0x00000020);
      ext(w32, 0x160, 0x001b, 1, 0);
      w16(0x164, 0x1f06);
      w16(0x166, 0x0007);
    }),
  ]);
  return out;
}

test("capability decoding: real lspci -F on the same config bytes prints the same Capabilities lines (-v, -vv, -vvv)", (t) => {
  if (!existsSync(LSPCI)) {
    if (inCi()) assert.fail(`CI=true but ${LSPCI} is missing (pciutils)`);
    t.skip(`needs ${LSPCI} (Debian package pciutils)`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "iaa-lspci-dump-"));
  try {
    for (const [name, bytes] of spaces()) {
      for (const verbose of [1, 2, 3]) {
        const ours = showCaps({ bytes, verbose, hasMemBar: hasMemBar(bytes) });
        assert.ok(ours.length > 0, name);
        assert.equal(ours, realCaps(dir, bytes, verbose), `${name}, -${"v".repeat(verbose)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
