// Vite build for Visage: a static site with a relative base, so dist/ works from any host and sub-path.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    target: 'es2022',
    // tfjs + Human are large by nature; they are cached by the browser after the first load.
    chunkSizeWarningLimit: 4000,
  },
  // No COOP/COEP headers: without cross-origin isolation tfjs uses its SIMD wasm build, which is as fast
  // on this hardware (threads gave nothing on 2 cores) and avoids the threaded build's minifier hang.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
