// Draws the two Teams icons: `node manifest/make-icons.mjs` rewrites manifest/color.png and outline.png.
// The PNGs are committed; run this only after changing the drawing.
//
// The picture: a map pin over a folded map (three panels), i.e. "a place in a regional plan".
// color.png (192×192): teal background, white map with a shaded middle fold, amber pin.
// outline.png (32×32): the same shapes in white on transparent, as Teams requires for the app bar.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

// Shapes in unit coordinates (0..1, y down), so both sizes share one drawing.
const MAP_TOP = [[0.16, 0.53], [0.39, 0.6], [0.61, 0.53], [0.84, 0.6]];
const MAP_BOTTOM = [[0.16, 0.83], [0.39, 0.9], [0.61, 0.83], [0.84, 0.9]];
const PIN = { cx: 0.5, cy: 0.31, r: 0.19, tipY: 0.72, hole: 0.075 };
// Clear space around the pin and between the panels, so the shapes stay apart when all are white (outline icon).
const GAP = 0.045;
const CREASE = 0.018;

const TEAL = [14, 124, 123, 255];
const WHITE = [255, 255, 255, 255];
// null is fully transparent.
const PALETTES = {
  color: { background: TEAL, panel: WHITE, fold: [200, 230, 228, 255], pin: [244, 185, 66, 255], hole: TEAL },
  outline: { background: null, panel: WHITE, fold: WHITE, pin: WHITE, hole: null },
};

/** Which part of the picture the point (x, y) falls on. */
function partAt(x, y) {
  const pin = inPin(x, y, 0);
  if (pin) return Math.hypot(x - PIN.cx, y - PIN.cy) < PIN.hole ? 'hole' : 'pin';
  if (inPin(x, y, GAP)) return 'background';
  // The panel edges are vertical, so a crease is a thin vertical strip.
  if (MAP_TOP.slice(1, 3).some(([fx]) => Math.abs(x - fx) < CREASE)) return 'background';
  for (let i = 0; i < 3; i++) {
    const quad = [MAP_TOP[i], MAP_TOP[i + 1], MAP_BOTTOM[i + 1], MAP_BOTTOM[i]];
    if (inConvex(x, y, quad)) return i === 1 ? 'fold' : 'panel';
  }
  return 'background';
}

/** The pin is a circle and the triangle from its tip to the circle's tangent points; grow widens both. */
function inPin(x, y, grow) {
  const r = PIN.r + grow;
  const tipY = PIN.tipY + grow * 1.6;
  if (Math.hypot(x - PIN.cx, y - PIN.cy) <= r) return true;
  const d = tipY - PIN.cy;
  const phi = Math.acos(r / d);
  const left = [PIN.cx - r * Math.sin(phi), PIN.cy + r * Math.cos(phi)];
  const right = [PIN.cx + r * Math.sin(phi), PIN.cy + r * Math.cos(phi)];
  return inConvex(x, y, [left, right, [PIN.cx, tipY]]);
}

/** Point in a convex polygon: on the same side of every edge. */
function inConvex(x, y, points) {
  let sign = 0;
  for (let i = 0; i < points.length; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[(i + 1) % points.length];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

/** Renders with 8×8 samples per pixel so small sizes get smooth edges. */
function render(size, palette) {
  const png = new PNG({ width: size, height: size });
  const n = 8;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Sum premultiplied colour, so transparent samples do not darken the edges.
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const rgba = palette[partAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)];
          if (!rgba) continue;
          const a = rgba[3] / 255;
          for (let c = 0; c < 3; c++) sum[c] += rgba[c] * a;
          sum[3] += a;
        }
      }
      const i = (py * size + px) * 4;
      const alpha = sum[3] / (n * n);
      for (let c = 0; c < 3; c++) png.data[i + c] = alpha ? Math.round(sum[c] / sum[3]) : 0;
      png.data[i + 3] = Math.round(alpha * 255);
    }
  }
  return PNG.sync.write(png);
}

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
writeFileSync(here('color.png'), render(192, PALETTES.color));
writeFileSync(here('outline.png'), render(32, PALETTES.outline));
console.log('Skrev manifest/color.png (192×192) och manifest/outline.png (32×32).');
