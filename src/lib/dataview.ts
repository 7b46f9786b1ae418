/**
 * A DataView over the whole buffer behind a byte array, cached per buffer:
 * descriptors and completion records are read and written on every request,
 * and a new DataView over shared memory costs more than the field accesses
 * themselves. Index it at `bytes.byteOffset + field`.
 *
 * @example
 * const dv = viewOf(desc);
 * dv.setUint32(desc.byteOffset + 4, flags, true);
 */
const views = new WeakMap<ArrayBufferLike, DataView<ArrayBufferLike>>();
let lastBuffer: ArrayBufferLike | null = null;
let lastView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

export function viewOf(bytes: Uint8Array): DataView<ArrayBufferLike> {
  const b = bytes.buffer;
  if (b === lastBuffer) return lastView;
  let v = views.get(b);
  if (v === undefined) views.set(b, (v = new DataView(b)));
  lastBuffer = b;
  lastView = v;
  return v;
}
