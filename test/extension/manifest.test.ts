// @vitest-environment node
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

type ManifestFn = (env: { manifestVersion: 2 | 3; browser: string; mode: string; command: string }) => Record<string, unknown>;

function manifestFor(browser: 'chrome' | 'firefox', manifestVersion: 2 | 3): Record<string, unknown> {
  const manifest = config.manifest as unknown as ManifestFn;
  return manifest({ manifestVersion, browser, mode: 'production', command: 'build' });
}

describe('manifest hygiene (production build)', () => {
  it.each([['chrome', 3], ['firefox', 2], ['firefox', 3]] as const)('%s MV%d: minimal permissions, no content scripts, nothing exposed', (browser, mv) => {
    const m = manifestFor(browser, mv);
    expect(m).not.toHaveProperty('content_scripts');
    expect(m).not.toHaveProperty('web_accessible_resources');
    expect(m).not.toHaveProperty('externally_connectable');
    const permissions = m.permissions as string[];
    expect(permissions.every((p) => ['storage', 'alarms'].includes(p))).toBe(true);
    expect(m.host_permissions).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    const optional = (mv === 3 ? m.optional_host_permissions : m.optional_permissions) as string[];
    expect(optional).toEqual(['https://*/*']);
    const csp = m.content_security_policy;
    const text = typeof csp === 'string' ? csp : (csp as { extension_pages: string }).extension_pages;
    expect(text).toBe("script-src 'self'; object-src 'self'");
    expect(m.commands).toHaveProperty('cycle-token');
  });
});
