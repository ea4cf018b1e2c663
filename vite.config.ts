// Vite build for Visage: a static site with a relative base, so dist/ works from any host and sub-path,
// plus the service worker and web app manifest that make it an installable, offline PWA.
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
/** Shown in Settings; VISAGE_BUILD_ID tells two builds of one version apart (the update e2e test uses it). */
const buildId = process.env.VISAGE_BUILD_ID ?? new Date().toISOString().slice(0, 10);

/**
 * Our origin only. tfjs's wasm backend needs 'wasm-unsafe-eval' to compile its .wasm; blob: and data:
 * are the page's own camera frames, thumbnails and exports; 'unsafe-inline' styles are React's style
 * props (positions of the overlay); no script is ever inline. Production only: Vite's dev server
 * injects inline scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const contentSecurityPolicy = (): Plugin => ({
  name: 'visage-content-security-policy',
  apply: 'build',
  transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
});

export default defineConfig({
  base: './',
  define: {
    __APP_VERSION__: JSON.stringify(version),
    __BUILD_ID__: JSON.stringify(buildId),
  },
  plugins: [
    react(),
    contentSecurityPolicy(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      registerType: 'prompt',
      // Registered by src/pwa/app-update.ts, which owns the update prompt.
      injectRegister: false,
      injectManifest: {
        // The shell (icons and web manifest are added by the plugin) and the model manifest are precached (versioned with the code). Model weights and
        // wasm are not: they are many megabytes, above Workbox's 2 MiB precache limit, and are cached
        // per manifest version by the service worker itself, verified by sha256.
        globPatterns: ['**/*.{js,css,html,svg}', 'models/manifest.json'],
        globIgnores: ['models/**/*.bin', 'models/wasm/**'],
        // The app bundle (tfjs + Human, ~1.8 MB) must be precached whole; nothing else comes near this.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      manifest: {
        name: 'Visage — face recognition in your browser',
        short_name: 'Visage',
        description: 'Real-time face recognition that runs entirely on your device. Faces never leave it.',
        // Relative to the web manifest, so one build works at / and at any sub-path.
        start_url: './',
        scope: './',
        id: './',
        display: 'standalone',
        orientation: 'any',
        background_color: '#0f172a',
        theme_color: '#0f172a',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  // The inference worker is an ES module. Its build kept every licence banner of tfjs's sources (0.9 MB
  // of comments, a third of the file) where the page's build drops them: drop them here too.
  worker: { format: 'es', rolldownOptions: { output: { legalComments: 'none' } } },
  build: {
    target: 'es2022',
    // tfjs + Human are large by nature; the service worker precaches them after the first load.
    chunkSizeWarningLimit: 4000,
  },
  // No COOP/COEP headers: without cross-origin isolation tfjs uses its SIMD wasm build, which is as fast
  // on this hardware (threads gave nothing on 2 cores) and avoids the threaded build's minifier hang.
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
