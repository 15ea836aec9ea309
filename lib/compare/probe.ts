/**
 * "Check my other tokens" (docs/support.md): a failed (or silently empty) read query is run once under each other
 * stored token of the environment, at most four at a time, each with the client's own deadline and `Retry-After`
 * handling. Read-only by construction: it runs a {@link ReadQuery}, which only calls GET endpoints.
 */
import { ApiError, type DynatraceClient } from '../dynatrace';
import { zonesNamedIn } from '../permissions/alternatives';
import { toReadError } from '../explain/gather';
import type { ReadError } from '../explain/verdict';
import { hasData, runReadQuery, type ReadAnswer, type ReadQuery } from './read-query';

/** Probes in flight at once. */
export const PROBE_CONCURRENCY = 4;

export interface ProbeCandidate {
  tokenId: string;
  label: string;
  client: DynatraceClient;
}

export type ProbeStatus = 'waiting' | 'running' | 'succeeded' | 'empty' | 'failed';

export interface ProbeState {
  tokenId: string;
  label: string;
  status: ProbeStatus;
  /** `failed`: why, as plain data. */
  error?: ReadError;
  /** Zones the answer proves the token reaches. */
  zones?: string[];
}

/**
 * The zones an answer proves its token reaches: the zones of the entities it listed, and the one zone the query
 * names when the answer holds data (several named zones are OR-ed, so data proves only one of them).
 */
export function zonesProvenBy(q: ReadQuery, a: ReadAnswer): string[] {
  const zones = new Set<string>();
  if (a.kind === 'entities') for (const e of a.entities) e.zones.forEach((z) => zones.add(z));
  const named = zonesNamedIn(q.kind === 'entities' ? { entitySelector: q.params.entitySelector } : { entitySelector: q.params.entitySelector, mzSelector: q.params.mzSelector });
  if (named.length === 1 && hasData(a)) zones.add(named[0]!);
  return [...zones].sort();
}

export interface ProbeOptions {
  signal?: AbortSignal;
  concurrency?: number;
  /** Called with a copy of every state after each change (the UI shows which probes are pending). */
  onUpdate?: (states: ProbeState[]) => void;
}

/** Runs `q` under each candidate; resolves with every final state (an abort rejects with the client's `aborted`). */
export async function probeTokens(candidates: readonly ProbeCandidate[], q: ReadQuery, opts: ProbeOptions = {}): Promise<ProbeState[]> {
  const states: ProbeState[] = candidates.map((c) => ({ tokenId: c.tokenId, label: c.label, status: 'waiting' }));
  const update = (i: number, s: Partial<ProbeState>) => {
    states[i] = { ...states[i]!, ...s };
    opts.onUpdate?.(states.map((x) => ({ ...x })));
  };
  opts.onUpdate?.(states.map((x) => ({ ...x })));
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const i = next++;
      if (i >= candidates.length) return;
      update(i, { status: 'running' });
      try {
        const answer = await runReadQuery(candidates[i]!.client, q, { probe: true, ...(opts.signal ? { signal: opts.signal } : {}) });
        update(i, { status: hasData(answer) ? 'succeeded' : 'empty', zones: zonesProvenBy(q, answer) });
      } catch (e) {
        if (e instanceof ApiError && e.kind === 'aborted') return;
        update(i, { status: 'failed', error: toReadError(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? PROBE_CONCURRENCY, candidates.length) }, worker));
  if (opts.signal?.aborted) throw new ApiError({ kind: 'aborted', method: 'GET', path: q.kind === 'metrics' ? '/api/v2/metrics/query' : '/api/v2/entities' });
  return states;
}
