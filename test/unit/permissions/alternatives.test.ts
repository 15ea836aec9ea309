import { describe, expect, it } from 'vitest';
import { alternativesFor, zonesBeyondKnown, zonesNamedIn, type TokenCapability } from '../../../lib/permissions/alternatives';
import { curlCommand, TOKEN_PLACEHOLDER } from '../../../lib/dynatrace/curl';

const base = { environmentUrl: 'https://abc.live.dynatrace.com', personal: true, expired: false } as const;
const analyst: TokenCapability = { ...base, id: 'dt0c01.A', label: 'EU analyst', owner: 'anna', scopes: ['metrics.read'], zones: ['Production EU'] };
const support: TokenCapability = { ...base, id: 'dt0c01.S', label: 'support', owner: 'sam', scopes: ['metrics.read', 'settings.read'], zones: ['Production EU', 'Production US'] };
const other: TokenCapability = { ...base, id: 'dt0c01.O', label: 'other env', owner: 'sam', scopes: ['settings.read'], zones: null, environmentUrl: 'https://xyz.live.dynatrace.com' };
const expired: TokenCapability = { ...support, id: 'dt0c01.E', label: 'old', expired: true };
const classic: TokenCapability = { ...base, id: 'dt0c01.C', label: 'classic', owner: 'admin', personal: false, scopes: ['metrics.read'], zones: null, allZones: true };

describe('alternativesFor', () => {
  it('offers a token of the same environment holding the missing scope, never an expired one', () => {
    expect(alternativesFor({ kind: 'missing-scope', scopes: [{ name: 'settings.read' }] }, analyst, [support, other, expired]).map((t) => t.label)).toEqual(['support']);
  });
  it('offers a token known to reach the zone, and none that was not inspected', () => {
    expect(alternativesFor({ kind: 'zone-denied', zone: 'Production US' }, analyst, [support, classic, { ...support, id: 'x', zones: null }]).map((t) => t.label)).toEqual(['support', 'classic']);
  });
  it('offers classic tokens when PATs are switched off', () => {
    expect(alternativesFor({ kind: 'pat-disabled' }, analyst, [support, classic]).map((t) => t.label)).toEqual(['classic']);
  });
  it('offers nothing for errors another token cannot fix', () => {
    expect(alternativesFor({ kind: 'validation' }, analyst, [support, classic])).toEqual([]);
  });
});

describe('zone warnings before sending', () => {
  it('finds zones named in entity and management-zone selectors', () => {
    expect(zonesNamedIn({ entitySelector: 'type(HOST),mzName("Production US")', mzSelector: 'mzName("Staging","Shared Services")' }).sort()).toEqual(['Production US', 'Shared Services', 'Staging']);
  });
  it('warns only about zones beyond what the token is known to reach', () => {
    expect(zonesBeyondKnown({ entitySelector: 'type(HOST),mzName("Production US")' }, analyst)).toEqual(['Production US']);
    expect(zonesBeyondKnown({ entitySelector: 'type(HOST),mzName("Production EU")' }, analyst)).toEqual([]);
    expect(zonesBeyondKnown({ entitySelector: 'type(HOST),mzName("X")' }, { zones: null })).toEqual([]);
  });
});

describe('curlCommand', () => {
  it('puts a placeholder where the token goes and quotes the URL for the shell', () => {
    const cmd = curlCommand('https://abc.live.dynatrace.com/api/v2', '/metrics/query', { metricSelector: "builtin:host.cpu.usage:filter(eq(\"x\",\"it's\"))", from: 'now-2h', to: undefined });
    expect(cmd).toContain(`Api-Token ${TOKEN_PLACEHOLDER}`);
    expect(cmd).toContain('it%27s');
    expect(cmd).not.toContain('to=');
    expect(cmd.startsWith("curl -sS 'https://abc.live.dynatrace.com/api/v2/metrics/query?metricSelector=")).toBe(true);
  });
});
