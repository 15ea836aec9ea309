import { ApiError, describeApiError, type DynatraceClient } from '../dynatrace';
import { describeFailure } from '../failure/describe';
import type { FailureView } from '../failure/failure';

/** One API area the inspector probes with a minimal, read-only request. */
export interface Probe {
  id: string;
  label: string;
  /** The scope Dynatrace requires for it. */
  scope: string;
  run(client: DynatraceClient, signal: AbortSignal): Promise<unknown>;
}

/**
 * The endpoint access matrix. Every probe is read-only: the ingest probe posts an empty body, which
 * Dynatrace rejects (400) after checking the token and scope, so nothing is ever written.
 */
export const PROBES: readonly Probe[] = [
  { id: 'entities', label: 'Entities', scope: 'entities.read', run: (c, signal) => c.entities.list({ entitySelector: 'type(HOST)', pageSize: 1 }, { signal }) },
  { id: 'entityTypes', label: 'Entity types', scope: 'entities.read', run: (c, signal) => c.entities.types({ pageSize: 1 }, { signal }) },
  { id: 'problems', label: 'Problems', scope: 'problems.read', run: (c, signal) => c.problems.list({ pageSize: 1 }, { signal }) },
  { id: 'metricsRead', label: 'Metrics read', scope: 'metrics.read', run: (c, signal) => c.metrics.list({ pageSize: 1, fields: 'metricId' }, { signal }) },
  { id: 'metricsIngest', label: 'Metric ingest', scope: 'metrics.ingest', run: (c, signal) => c.metrics.ingest('', { signal }) },
  { id: 'tokens', label: 'Token list', scope: 'apiTokens.read', run: (c, signal) => c.tokens.list({ pageSize: 100, fields: 'id' }, { signal }) },
  { id: 'settings', label: 'Settings read', scope: 'settings.read', run: (c, signal) => c.settings.objects.list({ schemaIds: 'builtin:management-zones', fields: 'objectId' }, { signal }) },
];

export type CellState = 'allowed' | 'missing-scope' | 'owner-permission' | 'pat-not-allowed' | 'error';

export interface MatrixCell {
  probe: string;
  label: string;
  state: CellState;
  /** Plain text for the cell: "allowed", "missing scope metrics.read", ... */
  text: string;
}

/**
 * Decodes one probe's outcome. A 400 means the request passed authentication and authorisation
 * (only the deliberately empty ingest body was refused), so it counts as allowed.
 */
export function decodeProbe(probe: Pick<Probe, 'id' | 'label' | 'scope'>, outcome: { ok: true } | { ok: false; error: unknown }): MatrixCell {
  const base = { probe: probe.id, label: probe.label };
  if (outcome.ok) return { ...base, state: 'allowed', text: 'allowed' };
  const e = outcome.error;
  if (e instanceof ApiError) {
    switch (e.kind) {
      case 'validation': return e.status === 400 ? { ...base, state: 'allowed', text: 'allowed' } : { ...base, state: 'error', text: `error: ${describeApiError(e)}` };
      case 'missing-scope': return { ...base, state: 'missing-scope', text: `missing scope ${e.scopes?.map((s) => s.name).join(' or ') || probe.scope}` };
      case 'owner-permission': return { ...base, state: 'owner-permission', text: `owner lacks permission${e.permission ? ` ${e.permission}` : ''}` };
      case 'pat-v1-only': case 'pat-disabled': return { ...base, state: 'pat-not-allowed', text: 'PAT not allowed here' };
      default: return { ...base, state: 'error', text: `error: ${describeApiError(e)}` };
    }
  }
  return { ...base, state: 'error', text: `error: ${e instanceof Error ? e.message : String(e)}` };
}

export interface ZoneCount { zone: string; total: number; byType: Record<string, number> }

export interface TokenMetadata {
  id: string;
  name?: string;
  owner?: string;
  personalAccessToken?: boolean;
  scopes: string[];
  creationDate?: string;
  expirationDate?: string;
  lastUsedDate?: string;
  lastUsedIpAddress?: string;
}

/** Everything one inspection found; never holds the secret. */
export interface Inspection {
  environmentUrl: string;
  inspectedAt: string;
  token: TokenMetadata | null;
  /** Why the lookup failed, as people read it (kind kept: a report says "token-expired", not just words). */
  lookupError?: FailureView;
  matrix: MatrixCell[];
  zones: ZoneCount[];
  /** Entities seen without any management zone visible to the token. */
  entitiesWithoutZone: number;
  /** Zones the environment lists (settings) that the token saw no entity of; null when it may not read them. */
  zonesNotSeen: string[] | null;
  /** How many probe requests were sent. */
  requests: number;
  truncated: boolean;
}

export interface InspectionDiff {
  scopes: { onlyA: string[]; onlyB: string[]; both: string[] };
  matrix: { probe: string; label: string; a: MatrixCell | undefined; b: MatrixCell | undefined; differs: boolean }[];
  zones: { onlyA: string[]; onlyB: string[]; both: string[] };
}

function split(a: readonly string[], b: readonly string[]) {
  return { onlyA: a.filter((x) => !b.includes(x)).sort(), onlyB: b.filter((x) => !a.includes(x)).sort(), both: a.filter((x) => b.includes(x)).sort() };
}

/** Side-by-side differences of two inspections: scopes, matrix cells and zones. */
export function diffInspections(a: Inspection, b: Inspection): InspectionDiff {
  const ids = [...new Set([...a.matrix.map((c) => c.probe), ...b.matrix.map((c) => c.probe)])];
  return {
    scopes: split(a.token?.scopes ?? [], b.token?.scopes ?? []),
    matrix: ids.map((probe) => {
      const ca = a.matrix.find((c) => c.probe === probe);
      const cb = b.matrix.find((c) => c.probe === probe);
      return { probe, label: ca?.label ?? cb?.label ?? probe, a: ca, b: cb, differs: ca?.state !== cb?.state };
    }),
    zones: split(a.zones.map((z) => z.zone), b.zones.map((z) => z.zone)),
  };
}

const SECRET = /dt0[a-z]\d\d\.[A-Z0-9]{24}\.[A-Z0-9]{64}/gi;

/** The report a user sends to support, as JSON: the token id, never the secret. */
export function inspectionReportJson(i: Inspection): string {
  return JSON.stringify({ report: 'Tokenscope token inspection', ...i }, null, 2).replace(SECRET, (m) => m.split('.').slice(0, 2).join('.'));
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The same report as Markdown. */
export function inspectionReportMarkdown(i: Inspection): string {
  const t = i.token;
  const lines = [
    '# Tokenscope token inspection',
    '',
    `- Environment: ${i.environmentUrl}`,
    `- Inspected at: ${i.inspectedAt}`,
    `- Token id: ${t?.id ?? 'unknown'}${t?.name ? ` (${mdCell(t.name)})` : ''}`,
    `- Owner: ${t?.owner ?? 'unknown'}`,
    `- Personal access token: ${t?.personalAccessToken === undefined ? 'unknown' : t.personalAccessToken ? 'yes' : 'no'}`,
    `- Scopes: ${t?.scopes.length ? t.scopes.join(', ') : 'none known'}`,
    `- Created: ${t?.creationDate ?? '—'}; expires: ${t?.expirationDate ?? 'never'}; last used: ${t?.lastUsedDate ?? '—'}${t?.lastUsedIpAddress ? ` from ${t.lastUsedIpAddress}` : ''}`,
    ...(i.lookupError ? [`- Lookup failed (${i.lookupError.kind}): ${mdCell(`${i.lookupError.title}: ${i.lookupError.message}`)}`] : []),
    '',
    '## Endpoint access',
    '',
    '| Area | Access |',
    '| --- | --- |',
    ...i.matrix.map((c) => `| ${c.label} | ${mdCell(c.text)} |`),
    '',
    '## Management zones this token can see',
    '',
    ...(i.zones.length ? ['| Zone | Entities | By type |', '| --- | --- | --- |', ...i.zones.map((z) => `| ${mdCell(z.zone)} | ${z.total} | ${Object.entries(z.byType).map(([k, v]) => `${k}: ${v}`).join(', ')} |`)] : ['No entity with a visible management zone.']),
    ...(i.zonesNotSeen?.length ? ['', `Zones of the environment with no entity visible to this token: ${i.zonesNotSeen.join(', ')}`] : []),
    ...(i.truncated ? ['', 'The zone counts stopped at the page cap; they are lower bounds.'] : []),
    '',
  ];
  return lines.join('\n').replace(SECRET, (m) => m.split('.').slice(0, 2).join('.'));
}

/** Entity types whose zones are counted (the ones that carry management zones in practice). */
export const ZONE_COUNT_TYPES = ['HOST', 'SERVICE', 'PROCESS_GROUP_INSTANCE', 'APPLICATION'] as const;

export interface InspectOptions {
  environmentUrl: string;
  /** The secret, for `POST /apiTokens/lookup` (sent in the body to the token's own environment only). */
  secret: () => Promise<string> | string;
  signal?: AbortSignal;
  /** Pages per entity type when counting zones (500 entities a page). */
  maxPagesPerType?: number;
  now?: () => number;
}

/**
 * Inspects what a token can do and see: metadata from lookup, the access matrix (probes in parallel)
 * and the zones of the entities it can list, counted per zone and type.
 */
export async function inspectToken(client: DynatraceClient, opts: InspectOptions): Promise<Inspection> {
  const signal = opts.signal ?? new AbortController().signal;
  let requests = 0;
  const counted = <T>(p: Promise<T>) => { requests++; return p; };
  const lookup = counted(Promise.resolve(opts.secret()).then((s) => client.tokens.lookup(s, { signal })))
    .then((t) => ({ ok: true as const, t }), (error: unknown) => ({ ok: false as const, error }));
  const matrix = Promise.all(PROBES.map((p) => counted(p.run(client, signal)).then(() => decodeProbe(p, { ok: true }), (error: unknown) => decodeProbe(p, { ok: false, error }))));
  const zoneMap = new Map<string, ZoneCount>();
  let withoutZone = 0;
  let truncated = false;
  const maxPages = opts.maxPagesPerType ?? 20;
  const countZones = Promise.all(ZONE_COUNT_TYPES.map(async (type) => {
    let pages = 0;
    try {
      let page = await counted(client.entities.list({ entitySelector: `type("${type}")`, fields: '+managementZones', pageSize: 500 }, { signal }));
      for (;;) {
        pages++;
        for (const e of page.entities ?? []) {
          const zones = (e.managementZones ?? []).map((z) => z.name).filter((n): n is string => !!n);
          if (!zones.length) withoutZone++;
          for (const z of zones) {
            const zc = zoneMap.get(z) ?? { zone: z, total: 0, byType: {} };
            zc.total++;
            zc.byType[type] = (zc.byType[type] ?? 0) + 1;
            zoneMap.set(z, zc);
          }
        }
        if (!page.nextPageKey) break;
        if (pages >= maxPages) { truncated = true; break; }
        page = await counted(client.entities.list({ nextPageKey: page.nextPageKey }, { signal }));
      }
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'aborted') throw e;
      // No entities.read, or zone-filtered to nothing: the matrix says why.
    }
  }));
  const envZones = counted(client.settings.objects.list({ schemaIds: 'builtin:management-zones', fields: 'value' }, { signal }))
    .then((r) => (r.items ?? []).map((i) => (i.value as { name?: string } | undefined)?.name).filter((n): n is string => !!n), () => null);
  const [l, m, , env] = await Promise.all([lookup, matrix, countZones, envZones]);
  const zones = [...zoneMap.values()].sort((a, b) => b.total - a.total || a.zone.localeCompare(b.zone));
  const seen = new Set(zones.map((z) => z.zone));
  return {
    environmentUrl: opts.environmentUrl,
    inspectedAt: new Date((opts.now ?? Date.now)()).toISOString(),
    token: l.ok ? {
      id: l.t.id ?? '', name: l.t.name ?? undefined, owner: l.t.owner ?? undefined, personalAccessToken: l.t.personalAccessToken ?? undefined,
      scopes: (l.t.scopes ?? []) as string[], creationDate: l.t.creationDate ?? undefined, expirationDate: l.t.expirationDate ?? undefined,
      lastUsedDate: l.t.lastUsedDate ?? undefined, lastUsedIpAddress: l.t.lastUsedIpAddress ?? undefined,
    } : null,
    ...(l.ok ? {} : { lookupError: describeFailure(l.error, { operation: 'inspect' }) }),
    matrix: m,
    zones,
    entitiesWithoutZone: withoutZone,
    zonesNotSeen: env ? env.filter((z) => !seen.has(z)).sort() : null,
    requests,
    truncated,
  };
}
