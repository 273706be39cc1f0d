/**
 * xxHash64 (seed 0), as Prometheus uses for labels.Hash(). Only limit_ratio needs it: it samples series by
 * their label hash, and matching Prometheus's choice of series requires the same hash.
 */
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const MASK = 0xffffffffffffffffn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function round(acc: bigint, input: bigint): bigint {
  acc = (acc + input * P2) & MASK;
  acc = rotl(acc, 31n);
  return (acc * P1) & MASK;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & MASK;
}

function read64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number);
  return v;
}

function read32(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number);
  return v;
}

export function xxhash64(b: Uint8Array): bigint {
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, read64(b, i));
      v2 = round(v2, read64(b, i + 8));
      v3 = round(v3, read64(b, i + 16));
      v4 = round(v4, read64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(n)) & MASK;
  for (; i + 8 <= n; i += 8) {
    h ^= round(0n, read64(b, i));
    h = (rotl(h, 27n) * P1 + P4) & MASK;
  }
  if (i + 4 <= n) {
    h ^= (read32(b, i) * P1) & MASK;
    h = (rotl(h, 23n) * P2 + P3) & MASK;
    i += 4;
  }
  for (; i < n; i++) {
    h ^= (BigInt(b[i] as number) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}
