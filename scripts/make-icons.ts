// Draws the admin app's icons (a gate on a teal tile) as PNGs into pwa/public. Run once when the
// design changes; the PNGs are committed like any other source image.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deflateSync } from "node:zlib";

const out = resolve(import.meta.dir, "../pwa/public");
const BG = [15, 118, 110] as const; // #0f766e
const FG = [255, 255, 255] as const;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function png(size: number, pixel: (x: number, y: number) => readonly [number, number, number, number]): Uint8Array {
  const raw = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 6, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array()),
  ];
  const total = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    total.set(p, offset);
    offset += p.length;
  }
  return total;
}

/** The gate in unit coordinates (0..1 of the drawing area): two posts and a lintel. */
const inGate = (u: number, v: number) =>
  (v > 0.18 && v < 0.3 && u > 0.12 && u < 0.88) ||
  (v > 0.3 && v < 0.86 && ((u > 0.22 && u < 0.36) || (u > 0.64 && u < 0.78))) ||
  (v > 0.42 && v < 0.5 && u > 0.36 && u < 0.64);

function icon(size: number, maskable: boolean) {
  // Maskable icons keep their content inside the central 80% safe zone and fill every corner.
  const inset = maskable ? 0.2 : 0.16;
  const radius = maskable ? 0 : size * 0.2;
  return png(size, (x, y) => {
    const cx = Math.min(x, size - 1 - x);
    const cy = Math.min(y, size - 1 - y);
    const outside = cx < radius && cy < radius && Math.hypot(radius - cx, radius - cy) > radius;
    if (outside) return [0, 0, 0, 0];
    const u = (x / size - inset) / (1 - 2 * inset);
    const v = (y / size - inset) / (1 - 2 * inset);
    return inGate(u, v) ? [...FG, 255] : [...BG, 255];
  });
}

writeFileSync(join(out, "icon-192.png"), icon(192, false));
writeFileSync(join(out, "icon-512.png"), icon(512, false));
writeFileSync(join(out, "icon-maskable-512.png"), icon(512, true));
writeFileSync(join(out, "apple-touch-icon.png"), icon(180, true));
console.log(`icons written to ${out}`);
