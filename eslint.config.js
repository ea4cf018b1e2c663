// Lint: typescript-eslint (type-aware), React hooks, and the folder arrows of docs/ARCHITECTURE.md:
// ui -> worker client, storage, domain; worker -> inference -> domain; storage -> domain; domain -> nothing.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const layer = (...folders) => folders.flatMap((f) => [`**/${f}/*`, `**/${f}`]);
const TFJS = ['@tensorflow/*', '#human', '@vladmandic/*'];
const REACT = ['react', 'react-dom', 'react-dom/*', 'react/*'];

/** One no-restricted-imports rule for a folder: what it must never import, and why. */
const forbid = (message, ...groups) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups.flat(), message }] }],
});

export default tseslint.config(
  { ignores: ['dist/', '.scratch/', 'node_modules/', 'public/', '.cache/', 'src/inference/human-node.cjs', 'src/inference/tf-gradients-node.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/domain/**'],
    languageOptions: { globals: {} },
    rules: {
      ...forbid('src/domain is pure TypeScript: no DOM, tfjs, React, storage or other layers.',
        TFJS, REACT, ['idb'], layer('inference', 'worker', 'storage', 'ui', 'pwa')),
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'fetch', 'indexedDB', 'localStorage', 'self', 'HTMLElement', 'Image'],
    },
  },
  {
    files: ['src/inference/**'],
    rules: forbid('src/inference may use tfjs and src/domain only.', REACT, ['idb'], layer('worker', 'storage', 'ui', 'pwa')),
  },
  {
    files: ['src/worker/**'],
    rules: forbid('src/worker talks to src/inference and src/domain only (tfjs lives in src/inference).', TFJS, REACT, ['idb'], layer('storage', 'ui', 'pwa')),
  },
  {
    files: ['src/storage/**'],
    rules: forbid('src/storage may use idb and src/domain only.', TFJS, REACT, layer('inference', 'worker', 'ui', 'pwa')),
  },
  {
    files: ['src/ui/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid('src/ui reaches inference only through the worker client (src/worker).', TFJS, layer('inference')),
    },
  },
  {
    files: ['src/pwa/**'],
    rules: forbid('src/pwa is the service worker and its registration only.', TFJS, REACT, layer('inference', 'worker', 'storage', 'ui')),
  },
);
