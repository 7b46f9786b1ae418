/**
 * A DataView over the whole buffer behind a byte array, cached: descriptors
 * and completion records are read and written on every request, and a new
 * DataView over shared memory costs more than the field accesses themselves.
 * Index it at `bytes.byteOffset + field`. The last few buffers are kept
 * (descriptor pools, the chunks of emulated memory).
 *
 * @example
 * const dv = viewOf(desc);
 * dv.setUint32(desc.byteOffset + 4, flags, true);
 */
const KEEP = 4;
const buffers: (ArrayBufferLike | null)[] = new Array<ArrayBufferLike | null>(KEEP).fill(null);
const views: DataView<ArrayBufferLike>[] = [];
let next = 0;

export function viewOf(bytes: Uint8Array): DataView<ArrayBufferLike> {
  const b = bytes.buffer;
  for (let i = 0; i < KEEP; i++) if (buffers[i] === b) return views[i]!;
  const v = new DataView(b);
  buffers[next] = b;
  views[next] = v;
  next = (next + 1) % KEEP;
  return v;
}
