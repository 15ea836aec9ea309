import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.spec.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Two cores: one Chromium at a time.
    fileParallelism: false,
  },
});
