// Renders the app icons (192, 512 and a maskable 512) from public/favicon.svg with Debian's Chromium.
// Run once when the logo changes (`npx tsx tools/make-icons.ts`); the PNGs are committed in public/icons.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const svg = readFileSync(resolve(root, 'public/favicon.svg'), 'utf8');
const outDir = resolve(root, 'public/icons');
mkdirSync(outDir, { recursive: true });

// A maskable icon keeps its content inside the central 80 % circle and fills the whole square.
const page = (size: number, maskable: boolean) => `<!doctype html><html><body style="margin:0;background:#0f172a">
  <div style="width:${size}px;height:${size}px;display:grid;place-items:center">
    <div style="width:${maskable ? size * 0.72 : size}px;height:${maskable ? size * 0.72 : size}px">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div>
  </div></body></html>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['maskable-512.png', 512, true]] as const) {
    const tab = await browser.newPage({ viewport: { width: size, height: size } });
    await tab.setContent(page(size, maskable));
    await tab.screenshot({ path: resolve(outDir, name), omitBackground: !maskable });
    await tab.close();
    console.log(`public/icons/${name}`);
  }
} finally {
  await browser.close();
}
