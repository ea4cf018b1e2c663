// Unit tests: Node, no browser. `#human` resolves to Human's CommonJS wasm build under the "node" condition.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
