// The protocol buffers wire format, read: varints, length-delimited fields, fixed 32/64-bit fields.

export class ProtobufError extends Error {
  override readonly name = "ProtobufError";
}

export interface WireField {
  number: number;
  wireType: 0 | 1 | 2 | 5;
  /** Varints as numbers; those of 8 bytes or more are read as signed int64 (precise within 2^53). */
  varint?: number;
  bytes?: Buffer;
}

function readVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i] ?? 0;
    if (i - at === 7) return readLongVarint(buf, at);
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new ProtobufError("truncated varint");
}

/** A varint of 8 to 10 bytes, read as a signed int64: what negative int32 and int64 values are. */
function readLongVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0n;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const b = buf[i] ?? 0;
    value |= BigInt(b & 0x7f) << BigInt(7 * (i - at));
    if ((b & 0x80) === 0) return [Number(BigInt.asIntN(64, value)), i + 1];
  }
  throw new ProtobufError("truncated varint");
}

/** The varints of a packed repeated field. */
export function readPackedVarints(buf: Buffer): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < buf.length) {
    const [value, next] = readVarint(buf, at);
    out.push(value);
    at = next;
  }
  return out;
}

/** Splits a message into its fields, in order. */
export function readFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let at = 0;
  while (at < buf.length) {
    const [tag, afterTag] = readVarint(buf, at);
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    at = afterTag;
    if (wireType === 0) {
      const [varint, next] = readVarint(buf, at);
      out.push({ number, wireType, varint });
      at = next;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buf, at);
      if (next + length > buf.length) throw new ProtobufError("truncated field");
      out.push({ number, wireType, bytes: buf.subarray(next, next + length) });
      at = next + length;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      out.push({ number, wireType, bytes: buf.subarray(at, at + size) });
      at += size;
    } else {
      throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
  return out;
}
