import { ref, shallowRef } from 'vue';
import { clientForSecret, clientForToken } from '../platform/api';
import { getSecret } from '../platform/vault';
import type { StoredToken } from '../platform/storage';
import type { DynatraceClient } from '../lib/dynatrace';
import { parseEnvironmentUrl } from '../lib/dynatrace/environment-url';
import { describeFailure } from '../lib/failure/describe';
import { Failure, type FailureView } from '../lib/failure/failure';
import { zoneReachOf } from '../lib/explain/gather';
import { inspectToken, type Inspection } from '../lib/inspector/inspection';
import { useInsightsStore } from '../stores/insights';
import { environmentZones } from './useAlternatives';

/** What to inspect: a stored token, or one pasted for this inspection only (kept in memory, never stored). */
export type InspectTarget = { kind: 'stored'; token: StoredToken } | { kind: 'pasted'; environmentUrl: string; secret: string };

type Insights = ReturnType<typeof useInsightsStore>;

/**
 * Inspects a stored token and records the zones it reaches (`stores/insights.ts`), for alternatives, zone warnings and
 * explanations. "Every zone" needs more than the settings list: settings list only the caller's own zones
 * (docs/sandbox-behaviour.md, Zones), so the token must also reach every zone another stored token of the environment
 * was seen to reach.
 */
export async function inspectStored(token: StoredToken, opts: { insights: Insights; tokens: readonly StoredToken[]; signal: AbortSignal; client?: DynatraceClient }): Promise<Inspection> {
  const client = opts.client ?? clientForToken(token);
  const result = await inspectToken(client, { environmentUrl: token.environmentUrl, secret: () => getSecret(token.id), signal: opts.signal });
  const reach = zoneReachOf(result);
  const known = environmentZones(opts.insights, opts.tokens.filter((t) => t.id !== token.id), token.environmentUrl);
  const allZones = reach.allZones && known.every((z) => reach.zones.includes(z));
  await opts.insights.recordZones(token.id, reach.zones, { complete: reach.complete, allZones });
  opts.insights.markInspected(token.id, reach.complete);
  return result;
}

/**
 * Runs token inspections (metadata, access matrix, zones) for up to two targets side by side.
 * A pasted secret lives only in the closure of this run; the result holds the token id, never the secret.
 */
export function useInspector(tokens: () => readonly StoredToken[] = () => []) {
  const insights = useInsightsStore();
  const results = shallowRef<(Inspection | null)[]>([null, null]);
  /** Why an inspection failed as a whole, as people read it (kind kept for the UI). */
  const errors = shallowRef<(FailureView | null)[]>([null, null]);
  const running = ref(false);
  const elapsedMs = ref<number | null>(null);
  let controller: AbortController | null = null;

  async function inspectOne(target: InspectTarget, signal: AbortSignal): Promise<Inspection> {
    if (target.kind === 'stored') return inspectStored(target.token, { insights, tokens: tokens(), signal });
    const env = parseEnvironmentUrl(target.environmentUrl);
    if (!env.ok) throw new Failure('invalid-url', env.error.message, env.error.suggestion === undefined ? {} : { suggestion: env.error.suggestion });
    const secret = target.secret.trim();
    return inspectToken(clientForSecret(env.value.baseUrl, secret), { environmentUrl: env.value.baseUrl, secret: () => secret, signal });
  }

  async function inspect(targets: readonly (InspectTarget | null)[]) {
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    running.value = true;
    errors.value = [null, null];
    results.value = [null, null];
    const started = performance.now();
    const settled = await Promise.allSettled(targets.map((t) => (t ? inspectOne(t, ctrl.signal) : Promise.resolve(null))));
    if (controller !== ctrl) return;
    results.value = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    errors.value = settled.map((s) => (s.status === 'rejected' ? describeFailure(s.reason, { operation: 'inspect' }) : null));
    elapsedMs.value = Math.round(performance.now() - started);
    running.value = false;
  }

  return { results, errors, running, elapsedMs, inspect, cancel: () => controller?.abort() };
}
