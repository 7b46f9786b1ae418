/**
 * An idxd accelerator (IAA or DSA) as the hardware presents it: capability
 * registers, GRPCFG/WQCFG configuration, the command register with its status,
 * one submission portal per WQ, engines that execute descriptors in virtual
 * time, completion records written into emulated memory, and interrupts.
 *
 * Modelled like a QEMU device (hw/misc/edu.c): the driver talks to it only
 * through this register-like API, the portals, DMA memory and the interrupt
 * callback. Guest misprogramming never throws: it becomes a command status,
 * a completion status, or a software-error record (SWERR).
 *
 * DSA devices are modelled for configuration only: their portals complete
 * noop and drain; any other opcode gets status 0x10 (bad opcode).
 */
import type { VirtualClock } from "../lib/clock.js";
import { TIMING } from "../lib/timing.js";
import type { PhysMem } from "../mm/phys_mem.js";
import { type IdxdHwCaps, genCapBlockOnFault, genCapMaxXferShift, opCapHas } from "./caps.js";
import { type IaxHwDesc, IAX_COMPL_SIZE, IAX_DESC_SIZE, IAX_OPCODE_DRAIN, IAX_OPCODE_NOOP, parseIaxHwDesc, writeIaxCompletion, IDXD_OP_FLAG_CRAV, IDXD_OP_FLAG_RCI, IAX_COMP_CRA_ALIGN, IAX_COMP_CRA_XLAT, IAX_COMP_INT_HANDLE_INVAL } from "./descriptor.js";
import { executeIaaOp, type IaaResultCache, type OpResult } from "./iaa_ops.js";

// ---- command register (registers.h enum idxd_cmd) ----
export const IDXD_CMD_ENABLE_DEVICE = 1;
export const IDXD_CMD_DISABLE_DEVICE = 2;
export const IDXD_CMD_DRAIN_ALL = 3;
export const IDXD_CMD_ABORT_ALL = 4;
export const IDXD_CMD_RESET_DEVICE = 5;
export const IDXD_CMD_ENABLE_WQ = 6;
export const IDXD_CMD_DISABLE_WQ = 7;
export const IDXD_CMD_DRAIN_WQ = 8;
export const IDXD_CMD_ABORT_WQ = 9;
export const IDXD_CMD_RESET_WQ = 10;

// ---- command status error codes (CMDSTS.err) ----
export const IDXD_CMDSTS_SUCCESS = 0;
export const IDXD_CMDSTS_INVAL_CMD = 0x01;
export const IDXD_CMDSTS_INVAL_WQIDX = 0x02;
export const IDXD_CMDSTS_HW_ERR = 0x03;
export const IDXD_CMDSTS_ERR_DEV_ENABLED = 0x10;
export const IDXD_CMDSTS_ERR_CONFIG = 0x11;
export const IDXD_CMDSTS_ERR_WQ_SIZE = 0x14;
export const IDXD_CMDSTS_ERR_GRP_CONFIG = 0x15;
export const IDXD_CMDSTS_ERR_DEV_NOT_EN = 0x20;
export const IDXD_CMDSTS_ERR_WQ_ENABLED = 0x21;
export const IDXD_CMDSTS_ERR_WQ_SIZE_ZERO = 0x22;
export const IDXD_CMDSTS_ERR_WQ_PRIOR = 0x23;
export const IDXD_CMDSTS_ERR_WQ_MODE = 0x24;
export const IDXD_CMDSTS_ERR_XFER_SIZE = 0x28;

/** WQCFG of one WQ (the fields the model uses). */
export interface HwWqCfg {
  size: number;
  threshold: number;
  priority: number;
  /** 1 = dedicated (wq_mode), 0 = shared. */
  dedicated: boolean;
  bof: boolean;
  pasidEn: boolean;
  pasid: number;
  priv: boolean;
  atsDisable: boolean;
  maxXferShift: number;
  maxBatchShift: number;
}

/** GRPCFG of one group: bitmaps of its WQs and engines. */
export interface HwGrpCfg {
  wqs: number;
  engines: number;
}

/** A fault to inject into completions (tests and what-if runs). */
export interface HwFault {
  /** Only descriptors with this opcode; any when absent. */
  opcode?: number;
  /** Completion status to report; "hang" = never complete. */
  status: number | "hang";
  errorCode?: number;
  /** How many descriptors it hits (default 1; Infinity for all). */
  count?: number;
}

interface Job {
  wq: number;
  desc: IaxHwDesc;
  /** Set when the job started running on an engine. */
  doneAt: number;
}

/** SWERR: the first software error the device saw (registers.h `union sw_err_reg`). */
export interface HwSwErr {
  valid: boolean;
  status: number;
  wq: number;
  opcode: number;
  addr: number;
}

function emptyWqCfg(): HwWqCfg {
  return { size: 0, threshold: 0, priority: 0, dedicated: false, bof: false, pasidEn: false, pasid: 0, priv: false, atsDisable: false, maxXferShift: 21, maxBatchShift: 5 };
}

/**
 * The device model.
 *
 * @example
 * const hw = new IdxdHw(SPR_IAA_CAPS, clock, mem);
 * hw.wqcfg[0] = { ...hw.wqcfg[0], size: 128, priority: 10, dedicated: true };
 * hw.grpcfg[0] = { wqs: 1, engines: 1 };
 * hw.command(IDXD_CMD_ENABLE_DEVICE, 0); // 0
 * hw.command(IDXD_CMD_ENABLE_WQ, 0);     // 0
 * hw.portalWrite(0, descBytes, "movdir64b");
 */
export class IdxdHw {
  /** Device enabled (GENSTS state). */
  enabled = false;
  wqEnabled: boolean[];
  wqcfg: HwWqCfg[];
  grpcfg: HwGrpCfg[];
  /** Last command status (CMDSTS). */
  cmdStatus = 0;
  swerr: HwSwErr = { valid: false, status: 0, wq: 0, opcode: 0, addr: 0 };
  /** Interrupt line: vector 0 = misc (errors), vector n = the int_handle of a descriptor. */
  onInterrupt: (vector: number) => void = () => {};
  /** Descriptors completed, per opcode (statistics for tests and reports). */
  readonly completed = new Map<number, number>();
  /** Descriptors dropped (MOVDIR64B into a full or disabled WQ). */
  dropped = 0;
  /** Virtual ns each engine has spent executing descriptors (utilisation for benchmarks). */
  readonly engineBusyNs: number[];
  faults: HwFault[] = [];
  /** Precomputed codec results the engines consult first (benchmarks with worker threads); null = always compute. */
  resultCache: IaaResultCache | null = null;
  private queues: Job[][];
  /** Descriptors accepted by a portal and not yet completed, per WQ. */
  private occupancy: number[];
  private engineBusy: (Job | null)[];
  private rr = 0;

  constructor(
    readonly caps: IdxdHwCaps,
    private readonly clock: VirtualClock,
    private readonly mem: PhysMem,
  ) {
    this.wqEnabled = new Array<boolean>(caps.maxWqs).fill(false);
    this.wqcfg = Array.from({ length: caps.maxWqs }, emptyWqCfg);
    this.grpcfg = Array.from({ length: caps.maxGroups }, () => ({ wqs: 0, engines: 0 }));
    this.queues = Array.from({ length: caps.maxWqs }, () => []);
    this.occupancy = new Array<number>(caps.maxWqs).fill(0);
    this.engineBusy = new Array<Job | null>(caps.maxEngines).fill(null);
    this.engineBusyNs = new Array<number>(caps.maxEngines).fill(0);
  }

  // ------------------------------------------------------------------
  // Command register
  // ------------------------------------------------------------------

  /**
   * Issues a command (CMD register) and returns the command status (CMDSTS
   * error code, 0 on success); also kept in {@link IdxdHw.cmdStatus}.
   */
  command(cmd: number, operand: number): number {
    const st = this.runCommand(cmd, operand);
    this.cmdStatus = st;
    return st;
  }

  private runCommand(cmd: number, operand: number): number {
    const nwq = this.caps.maxWqs;
    switch (cmd) {
      case IDXD_CMD_ENABLE_DEVICE:
        return this.enableDevice();
      case IDXD_CMD_DISABLE_DEVICE:
        if (!this.enabled) return IDXD_CMDSTS_ERR_DEV_NOT_EN;
        for (let i = 0; i < nwq; i++) this.stopWq(i);
        this.enabled = false;
        return 0;
      case IDXD_CMD_DRAIN_ALL:
      case IDXD_CMD_ABORT_ALL:
        for (let i = 0; i < nwq; i++) this.queues[i]!.length = 0;
        return 0;
      case IDXD_CMD_RESET_DEVICE:
        for (let i = 0; i < nwq; i++) this.stopWq(i);
        this.enabled = false;
        this.wqcfg = Array.from({ length: nwq }, emptyWqCfg);
        this.grpcfg = Array.from({ length: this.caps.maxGroups }, () => ({ wqs: 0, engines: 0 }));
        this.swerr = { valid: false, status: 0, wq: 0, opcode: 0, addr: 0 };
        return 0;
      case IDXD_CMD_ENABLE_WQ:
        if (operand < 0 || operand >= nwq) return IDXD_CMDSTS_INVAL_WQIDX;
        return this.enableWq(operand);
      case IDXD_CMD_DISABLE_WQ:
      case IDXD_CMD_RESET_WQ:
        if (operand < 0 || operand >= nwq) return IDXD_CMDSTS_INVAL_WQIDX;
        if (cmd === IDXD_CMD_DISABLE_WQ && !this.wqEnabled[operand]) return IDXD_CMDSTS_ERR_DEV_NOT_EN;
        this.stopWq(operand);
        if (cmd === IDXD_CMD_RESET_WQ) this.wqcfg[operand] = emptyWqCfg();
        return 0;
      case IDXD_CMD_DRAIN_WQ:
      case IDXD_CMD_ABORT_WQ:
        if (operand < 0 || operand >= nwq) return IDXD_CMDSTS_INVAL_WQIDX;
        this.dropQueued(operand);
        return 0;
      default:
        return IDXD_CMDSTS_INVAL_CMD;
    }
  }

  private enableDevice(): number {
    if (this.enabled) return IDXD_CMDSTS_ERR_DEV_ENABLED;
    let total = 0;
    for (const c of this.wqcfg) total += c.size;
    if (total > this.caps.totalWqSize) return IDXD_CMDSTS_ERR_WQ_SIZE;
    // Every group in use needs both a WQ and an engine; at least one group must be in use.
    let used = 0;
    for (const g of this.grpcfg) {
      if (g.wqs === 0 && g.engines === 0) continue;
      if (g.wqs === 0 || g.engines === 0) return IDXD_CMDSTS_ERR_GRP_CONFIG;
      used++;
    }
    if (used === 0) return IDXD_CMDSTS_ERR_GRP_CONFIG;
    this.enabled = true;
    return 0;
  }

  private enableWq(i: number): number {
    if (!this.enabled) return IDXD_CMDSTS_ERR_DEV_NOT_EN;
    if (this.wqEnabled[i]) return IDXD_CMDSTS_ERR_WQ_ENABLED;
    const c = this.wqcfg[i]!;
    if (c.size === 0) return IDXD_CMDSTS_ERR_WQ_SIZE_ZERO;
    if (c.priority === 0) return IDXD_CMDSTS_ERR_WQ_PRIOR;
    if (!c.dedicated && !c.pasidEn) return IDXD_CMDSTS_ERR_WQ_MODE;
    if (c.maxXferShift > genCapMaxXferShift(this.caps.genCap)) return IDXD_CMDSTS_ERR_XFER_SIZE;
    this.wqEnabled[i] = true;
    return 0;
  }

  /** Disables a WQ: queued descriptors are abandoned, running ones finish. */
  private stopWq(i: number): void {
    this.dropQueued(i);
    this.wqEnabled[i] = false;
  }

  private dropQueued(i: number): void {
    const q = this.queues[i]!;
    this.occupancy[i] = Math.max(0, this.occupancy[i]! - q.length);
    q.length = 0;
    if (!this.engineBusy.some((j) => j !== null && j.wq === i)) this.occupancy[i] = 0;
  }

  // ------------------------------------------------------------------
  // Portals
  // ------------------------------------------------------------------

  /** Descriptors in WQ `wq` now (WQ occupancy register). */
  wqOccupancy(wq: number): number {
    return this.occupancy[wq] ?? 0;
  }

  /**
   * A 64-byte write to WQ `wq`'s portal. MOVDIR64B (dedicated WQs) is posted:
   * it always returns 0, and a descriptor that finds the WQ full or disabled
   * is dropped. ENQCMDS (shared WQs) returns 0 when accepted and 1 (ZF set,
   * "retry") when the WQ is disabled or its occupancy has reached the threshold.
   * The descriptor reaches the WQ after the instruction's latency.
   */
  portalWrite(wq: number, bytes: Uint8Array, op: "movdir64b" | "enqcmds"): number {
    if (wq < 0 || wq >= this.caps.maxWqs || bytes.length < IAX_DESC_SIZE) return op === "enqcmds" ? 1 : 0;
    const c = this.wqcfg[wq]!;
    const up = this.enabled && this.wqEnabled[wq] === true;
    if (op === "enqcmds") {
      if (!up || c.dedicated || this.occupancy[wq]! >= c.threshold) return 1;
    } else if (!up || !c.dedicated || this.occupancy[wq]! >= c.size) {
      this.dropped++;
      return 0;
    }
    const desc = parseIaxHwDesc(bytes);
    if (op === "enqcmds" && c.pasidEn) desc.pasid = c.pasid;
    this.occupancy[wq]!++;
    const delay = op === "enqcmds" ? TIMING.enqcmdsNs : TIMING.movdir64bNs;
    this.clock.schedule(delay, () => {
      if (!this.enabled || !this.wqEnabled[wq]) {
        this.occupancy[wq] = Math.max(0, this.occupancy[wq]! - 1);
        return;
      }
      this.queues[wq]!.push({ wq, desc, doneAt: 0 });
      this.dispatch();
    });
    return 0;
  }

  // ------------------------------------------------------------------
  // Engines
  // ------------------------------------------------------------------

  /** Group id of engine `e` per GRPCFG, or -1. */
  engineGroup(e: number): number {
    for (let g = 0; g < this.grpcfg.length; g++) if ((this.grpcfg[g]!.engines >>> e) & 1) return g;
    return -1;
  }

  private wqGroup(wq: number): number {
    for (let g = 0; g < this.grpcfg.length; g++) if ((this.grpcfg[g]!.wqs >>> wq) & 1) return g;
    return -1;
  }

  /** Can engine `e` take `desc`? Only compress-capable engines take 0x43, unless the group has none. */
  private engineCan(e: number, g: number, desc: IaxHwDesc): boolean {
    if (this.caps.type !== "iax" || desc.opcode !== 0x43 || e < this.caps.compressEngines) return true;
    const engines = this.grpcfg[g]!.engines;
    for (let i = 0; i < this.caps.compressEngines; i++) if ((engines >>> i) & 1) return false;
    return true;
  }

  /** Starts queued descriptors on idle engines: per group, WQs by priority, round-robin among equals, FIFO within a WQ. */
  private dispatch(): void {
    if (!this.enabled) return;
    for (let e = 0; e < this.caps.maxEngines && this.anyQueued(); e++) {
      if (this.engineBusy[e] !== null) continue;
      const g = this.engineGroup(e);
      if (g < 0) continue;
      const job = this.pickJob(e, g);
      if (job !== null) this.start(e, job);
    }
  }

  private anyQueued(): boolean {
    for (let i = 0; i < this.queues.length; i++) if (this.queues[i]!.length > 0) return true;
    return false;
  }

  private pickJob(e: number, g: number): Job | null {
    const n = this.caps.maxWqs;
    let best = -1;
    for (let k = 0; k < n; k++) {
      const wq = (this.rr + k) % n;
      const q = this.queues[wq]!;
      if (q.length === 0 || this.wqGroup(wq) !== g || !this.engineCan(e, g, q[0]!.desc)) continue;
      if (best < 0 || this.wqcfg[wq]!.priority > this.wqcfg[best]!.priority) best = wq;
    }
    if (best < 0) return null;
    this.rr = (best + 1) % n;
    return this.queues[best]!.shift()!;
  }

  private start(e: number, job: Job): void {
    this.engineBusy[e] = job;
    const r = this.execute(job);
    let doneAt = this.clock.now + r.durationNs;
    if (job.desc.opcode === IAX_OPCODE_DRAIN) {
      for (const j of this.engineBusy) if (j !== null && j !== job && j.wq === job.wq) doneAt = Math.max(doneAt, j.doneAt);
    }
    job.doneAt = doneAt;
    this.engineBusyNs[e]! += doneAt - this.clock.now;
    this.clock.scheduleAt(doneAt, () => this.finish(e, job, r));
  }

  private execute(job: Job): OpResult {
    const d = job.desc;
    const fault = this.takeFault(d.opcode);
    if (fault !== null) {
      if (fault.status === "hang") return { status: -1, durationNs: TIMING.engineSetupOtherNs };
      return { status: fault.status, errorCode: fault.errorCode ?? 0, durationNs: TIMING.engineSetupOtherNs };
    }
    const c = this.wqcfg[job.wq]!;
    if (d.opcode === IAX_OPCODE_NOOP || d.opcode === IAX_OPCODE_DRAIN) return { status: 1, durationNs: TIMING.engineSetupOtherNs };
    if (!opCapHas(this.caps.opCap, d.opcode) || this.caps.type !== "iax") return { status: 0x10, durationNs: TIMING.engineSetupOtherNs };
    return executeIaaOp(d, this.mem, {
      maxXfer: 2 ** c.maxXferShift,
      bofAllowed: c.bof && genCapBlockOnFault(this.caps.genCap),
      maxIntHandle: this.caps.maxWqs,
      cache: this.resultCache,
    });
  }

  private takeFault(opcode: number): HwFault | null {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i]!;
      if (f.opcode !== undefined && f.opcode !== opcode) continue;
      const left = (f.count ?? 1) - 1;
      if (left <= 0) this.faults.splice(i, 1);
      else f.count = left;
      return f;
    }
    return null;
  }

  private finish(e: number, job: Job, r: OpResult): void {
    this.engineBusy[e] = null;
    const d = job.desc;
    if (r.status >= 0) {
      this.occupancy[job.wq] = Math.max(0, this.occupancy[job.wq]! - 1);
      this.completed.set(d.opcode, (this.completed.get(d.opcode) ?? 0) + 1);
      this.writeCompletion(job, r);
    }
    this.dispatch();
  }

  private writeCompletion(job: Job, r: OpResult): void {
    const d = job.desc;
    if ((d.flags & IDXD_OP_FLAG_CRAV) === 0) return;
    if (d.completionAddr % 64 !== 0) return this.softwareError(IAX_COMP_CRA_ALIGN, job);
    if (!this.mem.isBacked(d.completionAddr, IAX_COMPL_SIZE)) return this.softwareError(IAX_COMP_CRA_XLAT, job);
    const cr = this.mem.view(d.completionAddr, IAX_COMPL_SIZE);
    this.clock.schedule(TIMING.completionWriteNs, () => {
      writeIaxCompletion(cr, {
        status: r.status,
        errorCode: r.errorCode ?? 0,
        bytesCompleted: r.bytesCompleted ?? 0,
        faultAddr: r.faultAddr ?? 0,
        invalidFlags: r.invalidFlags ?? 0,
        outputSize: r.outputSize ?? 0,
        outputBits: r.outputBits ?? 0,
        crc: r.crc ?? 0,
      });
      if ((d.flags & IDXD_OP_FLAG_RCI) !== 0 && r.status !== IAX_COMP_INT_HANDLE_INVAL) {
        this.clock.schedule(TIMING.irqDeliveryNs, () => this.onInterrupt(d.intHandle));
      }
    });
  }

  private softwareError(status: number, job: Job): void {
    if (!this.swerr.valid) this.swerr = { valid: true, status, wq: job.wq, opcode: job.desc.opcode, addr: job.desc.completionAddr };
    this.clock.schedule(TIMING.irqDeliveryNs, () => this.onInterrupt(0));
  }

  // ------------------------------------------------------------------
  // Fault injection and state
  // ------------------------------------------------------------------

  /**
   * Makes the next `count` descriptors (of `opcode`, if given) complete with
   * `status`/`errorCode`, or never complete with status "hang".
   *
   * @example
   * hw.injectFault({ opcode: 0x43, status: 0x24 }); // watchdog on the next compress
   */
  injectFault(f: HwFault): void {
    this.faults.push({ ...f });
  }

  /** Descriptors queued or running on the device. */
  get busy(): boolean {
    return this.occupancy.some((n) => n > 0);
  }

  /** Configuration state (descriptors in flight are not part of a snapshot). */
  saveState(): IdxdHwState {
    return {
      enabled: this.enabled,
      wqEnabled: [...this.wqEnabled],
      wqcfg: this.wqcfg.map((c) => ({ ...c })),
      grpcfg: this.grpcfg.map((g) => ({ ...g })),
      cmdStatus: this.cmdStatus,
      swerr: { ...this.swerr },
      faults: this.faults.map((f) => ({ ...f, count: f.count === Infinity ? -1 : f.count })),
      dropped: this.dropped,
      completed: [...this.completed],
    };
  }

  loadState(s: IdxdHwState): void {
    this.enabled = s.enabled;
    this.wqEnabled = [...s.wqEnabled];
    this.wqcfg = s.wqcfg.map((c) => ({ ...c }));
    this.grpcfg = s.grpcfg.map((g) => ({ ...g }));
    this.cmdStatus = s.cmdStatus;
    this.swerr = { ...s.swerr };
    this.faults = s.faults.map((f) => ({ ...f, count: f.count === -1 ? Infinity : f.count }));
    this.dropped = s.dropped;
    this.completed.clear();
    for (const [k, v] of s.completed) this.completed.set(k, v);
    for (const q of this.queues) q.length = 0;
    this.occupancy.fill(0);
    this.engineBusy.fill(null);
  }
}

/** JSON-safe device state. */
export interface IdxdHwState {
  enabled: boolean;
  wqEnabled: boolean[];
  wqcfg: HwWqCfg[];
  grpcfg: HwGrpCfg[];
  cmdStatus: number;
  swerr: HwSwErr;
  faults: HwFault[];
  dropped: number;
  completed: [number, number][];
}
