/**
 * A strict decoder of Snappy's block format, written from the format description
 * (github.com/google/snappy, format_description.txt) to check our encoder: it refuses what the
 * reference decoder refuses (a copy reaching before the start, a length that disagrees with the
 * preamble, a truncated element) instead of guessing.
 */
export function snappyDecode(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new Error('snappy: bad length preamble');
    const b = input[pos++] as number;
    length += (b & 127) * 2 ** shift;
    if (b < 128) break;
  }
  const out = new Uint8Array(length);
  let d = 0;
  const need = (n: number): void => {
    if (pos + n > input.length) throw new Error(`snappy: truncated element at byte ${pos}`);
  };
  const byte = (): number => input[pos++] as number;
  while (pos < input.length) {
    const tag = byte();
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        need(extra);
        n = 0;
        for (let i = 0; i < extra; i++) n += byte() * 2 ** (8 * i);
      }
      n += 1;
      need(n);
      if (d + n > length) throw new Error('snappy: literal overruns the declared length');
      out.set(input.subarray(pos, pos + n), d);
      pos += n;
      d += n;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      need(1);
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | byte();
    } else if (kind === 2) {
      need(2);
      len = (tag >>> 2) + 1;
      offset = byte() | (byte() << 8);
    } else {
      need(4);
      len = (tag >>> 2) + 1;
      offset = (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0;
    }
    if (offset === 0 || offset > d) throw new Error(`snappy: copy offset ${offset} at output ${d}`);
    if (d + len > length) throw new Error('snappy: copy overruns the declared length');
    // Byte by byte: a copy may overlap what it writes (offset < length repeats a pattern).
    for (let i = 0; i < len; i++, d++) out[d] = out[d - offset] as number;
  }
  if (d !== length) throw new Error(`snappy: decoded ${d} bytes, the preamble says ${length}`);
  return out;
}
