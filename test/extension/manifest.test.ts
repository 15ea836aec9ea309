// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import config from '../../wxt.config';

type ManifestFn = (env: { manifestVersion: 2 | 3; browser: string; mode: string; command: string }) => Record<string, unknown>;

function manifestFor(browser: 'chrome' | 'firefox', manifestVersion: 2 | 3, cfg = config): Record<string, unknown> {
  const manifest = cfg.manifest as unknown as ManifestFn;
  return manifest({ manifestVersion, browser, mode: 'production', command: 'build' });
}

describe('manifest hygiene (production build)', () => {
  it('targets MV3 in every browser, Firefox included (docs/firefox.md)', () => {
    expect(config.manifestVersion).toBe(3);
  });

  it.each([['chrome', 3], ['firefox', 3]] as const)('%s MV%d: minimal permissions, no content scripts, nothing exposed', (browser, mv) => {
    const m = manifestFor(browser, mv);
    expect(m).not.toHaveProperty('content_scripts');
    expect(m).not.toHaveProperty('web_accessible_resources');
    expect(m).not.toHaveProperty('externally_connectable');
    const permissions = m.permissions as string[];
    expect(permissions.every((p) => ['storage', 'alarms'].includes(p))).toBe(true);
    expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(m.optional_host_permissions).toEqual(['https://*/*']);
    // Only notifications, asked for when the user turns expiry notifications on.
    expect(m.optional_permissions).toEqual(['notifications']);
    const csp = m.content_security_policy as { extension_pages: string };
    expect(csp.extension_pages).toBe("script-src 'self'; object-src 'self'");
    expect(m.commands).toHaveProperty('cycle-token');
  });

  it('Firefox: a fixed gecko id, no data collected, and the first version with everything the manifest uses', () => {
    const gecko = (manifestFor('firefox', 3).browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    expect(gecko).toEqual({
      id: 'tokenscope@tokenscope.dev',
      // data_collection_permissions: Firefox 140; optional_host_permissions: 128; storage.session: 115.
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    });
    expect(manifestFor('chrome', 3)).not.toHaveProperty('browser_specific_settings');
  });

  it('a forced MV2 Firefox build (--mv2) still lists tenant hosts as optional, in optional_permissions', () => {
    const m = manifestFor('firefox', 2);
    expect(m.optional_permissions).toEqual(['https://*/*', 'notifications']);
    expect(m.content_security_policy).toBe("script-src 'self'; object-src 'self'");
  });
});

describe('the e2e build (E2E=1)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it.each(['chrome', 'firefox'] as const)('%s: tenant hosts are required (a headless browser cannot answer the prompt), none optional', async (browser) => {
    vi.stubEnv('E2E', '1');
    vi.resetModules();
    const e2e = (await import('../../wxt.config')).default;
    const m = manifestFor(browser, 3, e2e);
    expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*', 'https://*/*']);
    expect(m).not.toHaveProperty('optional_host_permissions');
    expect(e2e.outDirTemplate).toBe('{{browser}}-mv{{manifestVersion}}-e2e');
  });
});
