// Draws the Corsight icons (public/icons/icon-<size>.png) with Node built-ins only: `npx tsx scripts/make-icons.ts`.
import { crc32, deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Rgba = readonly [number, number, number, number];

const SIZES = [16, 32, 48, 128] as const;
const NAVY: Rgba = [43, 58, 103, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CORAL: Rgba = [249, 115, 98, 255];
// 4×4 samples per pixel: enough anti-aliasing that the 16 px icon still reads as a "C" and a dot.
const SUPERSAMPLE = 4;

/** The colour of one point in unit coordinates (0..1): a navy rounded square, a white "C" ring, a coral dot in its gap. */
function colourAt(x: number, y: number): Rgba | null {
  const corner = 0.22;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - corner), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - corner), 0);
  if (Math.hypot(qx, qy) > corner) return null;

  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  // The dot sits where the ring opens: the request that did not get through.
  if (Math.hypot(x - 0.76, y - 0.5) < 0.085) return CORAL;
  const angle = Math.abs(Math.atan2(dy, dx)); // 0 = pointing right
  if (r > 0.19 && r < 0.33 && angle > (40 * Math.PI) / 180) return WHITE;
  return NAVY;
}

function render(size: number): Buffer {
  // Each scanline starts with filter byte 0 (None), then RGBA pixels.
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let py = 0; py < size; py++) {
    const row = py * (size * 4 + 1);
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = colourAt((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size);
          if (!c) continue;
          // Premultiply so edge pixels do not darken towards transparent black.
          r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3];
        }
      }
      const o = row + 1 + px * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round(a / (SUPERSAMPLE * SUPERSAMPLE));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  writeFileSync(join(outDir, `icon-${size}.png`), render(size));
  console.log(`public/icons/icon-${size}.png`);
}
