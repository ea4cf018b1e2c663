// Builds the benchmark page (not part of the app): Visage's engine and Human side by side on one tfjs.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, '../..');

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: resolve(root, 'public'),
  build: { outDir: resolve(root, '.cache/bench-dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8000 },
  logLevel: 'warn',
});
