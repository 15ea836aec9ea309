import { defineConfig } from 'vitest/config';

/** The Firefox suite: the e2e build (`E2E=1 wxt build -b firefox`, MV3) in Debian's Firefox ESR (`npm run test:e2e:firefox`). */
export default defineConfig({
  test: {
    name: 'e2e-firefox',
    include: ['test/firefox/**/*.spec.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: one browser at a time.
    fileParallelism: false,
  },
});
