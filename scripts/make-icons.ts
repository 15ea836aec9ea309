/**
 * Draws the extension's icons (a white key on the accent blue, rounded square) and writes them as PNG files to
 * `public/icon/<size>.png`, where WXT finds them and lists them under the manifest's `icons`. The PNGs are
 * committed; run this again only to change the drawing: `npx tsx scripts/make-icons.ts`.
 *
 * No image library: the shapes are tested per sub-pixel (8 x 8 samples per pixel for smooth edges) and the PNG is
 * written by hand (RGBA, one IDAT chunk, zlib from Node).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 48, 128] as const;

const BACKGROUND: readonly [number, number, number] = [0x14, 0x56, 0xc7]; // theme.css --accent (light)
const FOREGROUND: readonly [number, number, number] = [0xff, 0xff, 0xff];

/** Inside the rounded square (corner radius 22 % of the side)? Coordinates are in [0, 1]. */
function inBackground(x: number, y: number): boolean {
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Inside the key: a ring (the bow), a shaft and two teeth. */
function inKey(x: number, y: number): boolean {
  const d = Math.hypot(x - 0.33, y - 0.5);
  const bow = d <= 0.2 && d >= 0.09;
  const shaft = x >= 0.5 && x <= 0.84 && y >= 0.45 && y <= 0.55;
  const tooth1 = x >= 0.68 && x <= 0.75 && y >= 0.55 && y <= 0.67;
  const tooth2 = x >= 0.78 && x <= 0.84 && y >= 0.55 && y <= 0.63;
  return bow || shaft || tooth1 || tooth2;
}

/** RGBA pixels of the icon at `size` x `size`. */
export function drawIcon(size: number): Buffer {
  const samples = 8;
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!inBackground(x, y)) continue;
          if (inKey(x, y)) fg++;
          else bg++;
        }
      }
      const covered = bg + fg;
      const i = (py * size + px) * 4;
      if (covered === 0) continue;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round((BACKGROUND[c]! * bg + FOREGROUND[c]! * fg) / covered);
      out[i + 3] = Math.round((255 * covered) / (samples * samples));
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG file of RGBA pixels (8 bits per channel, no interlace). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    // Filter type 0 (none) at the start of every row.
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve('public/icon');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) {
    const file = path.join(dir, `${size}.png`);
    writeFileSync(file, encodePng(size, size, drawIcon(size)));
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
