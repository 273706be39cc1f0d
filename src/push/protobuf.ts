/**
 * The protobuf encoding of remote write 1.0's `prometheus.WriteRequest`, by hand: the message is
 * three levels of length-delimited fields, strings, one double and one int64, which a generated
 * codec and its runtime would cost far more bundle than these lines.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 *
 * Sizes are computed first, so the whole request is written once into one buffer.
 */

/** One series as remote write sends it: labels sorted by name (`__name__` included), samples by time. */
export interface WriteSeries {
  labels: ReadonlyArray<readonly [string, string]>;
  samples: ReadonlyArray<{ value: number; timestampMs: number }>;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

const tag = (field: number, wire: number): number => (field << 3) | wire;

/** Bytes of `n` (a non-negative safe integer) as a base-128 varint. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** int64 as protobuf writes it: a negative value is its 64-bit two's complement, always 10 bytes. */
function int64Size(n: number): number {
  return n < 0 ? 10 : varintSize(n);
}

const lenFieldSize = (payload: number): number => 1 + varintSize(payload) + payload;

const ENCODER = new TextEncoder();

class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  varint(n: number): void {
    while (n >= 128) {
      this.bytes[this.pos++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.pos++] = n;
  }

  int64(n: number): void {
    if (n >= 0) {
      this.varint(n);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(n));
    for (let i = 0; i < 9; i++) {
      this.bytes[this.pos++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    this.bytes[this.pos++] = Number(v);
  }

  double(v: number): void {
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  utf8(s: string, length: number): void {
    this.varint(length);
    if (length === s.length) {
      // ASCII, the usual case for label names and values: no encoder round trip.
      for (let i = 0; i < length; i++) this.bytes[this.pos++] = s.charCodeAt(i);
    } else {
      this.pos += ENCODER.encodeInto(s, this.bytes.subarray(this.pos)).written;
    }
  }
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The serialized WriteRequest. Throws on a timestamp that is not a safe integer. */
export function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array {
  // First pass: every nested message's size, kept for the second pass's length prefixes.
  const stringLengths: number[] = [];
  const labelSizes: number[] = [];
  const seriesSizes: number[] = [];
  let total = 0;
  for (const s of series) {
    let size = 0;
    for (const [name, value] of s.labels) {
      const n = utf8Length(name);
      const v = utf8Length(value);
      stringLengths.push(n, v);
      const label = lenFieldSize(n) + lenFieldSize(v);
      labelSizes.push(label);
      size += lenFieldSize(label);
    }
    for (const sample of s.samples) {
      if (!Number.isSafeInteger(sample.timestampMs))
        throw new RangeError(`sample timestamp ${sample.timestampMs} is not a whole number of milliseconds`);
      size += lenFieldSize(1 + 8 + 1 + int64Size(sample.timestampMs));
    }
    seriesSizes.push(size);
    total += lenFieldSize(size);
  }

  const w = new Writer(total);
  let si = 0;
  let li = 0;
  series.forEach((s, i) => {
    w.varint(tag(1, WIRE_LEN));
    w.varint(seriesSizes[i] as number);
    for (const [name, value] of s.labels) {
      w.varint(tag(1, WIRE_LEN));
      w.varint(labelSizes[li++] as number);
      w.varint(tag(1, WIRE_LEN));
      w.utf8(name, stringLengths[si++] as number);
      w.varint(tag(2, WIRE_LEN));
      w.utf8(value, stringLengths[si++] as number);
    }
    for (const sample of s.samples) {
      w.varint(tag(2, WIRE_LEN));
      w.varint(1 + 8 + 1 + int64Size(sample.timestampMs));
      w.varint(tag(1, WIRE_FIXED64));
      w.double(sample.value);
      w.varint(tag(2, WIRE_VARINT));
      w.int64(sample.timestampMs);
    }
  });
  if (w.pos !== total) throw new Error(`protobuf size mismatch: wrote ${w.pos} of ${total} bytes`);
  return w.bytes;
}
