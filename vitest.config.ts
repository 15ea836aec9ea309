import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/stores/**'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        // WxtVitest does not add the module's Vue plugin, so vue() is listed explicitly (its README says so; `@wxt-dev/module-vue` adds it only to builds).
        plugins: [vue(), WxtVitest()],
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts', 'test/extension/**/*.test.ts', 'test/unit/stores/**/*.test.ts'],
          environment: 'happy-dom',
          mockReset: true,
          restoreMocks: true,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
