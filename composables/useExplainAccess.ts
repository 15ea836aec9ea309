import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { clientForToken } from '../platform/api';
import type { StoredToken } from '../platform/storage';
import { ApiError, type DynatraceClient } from '../lib/dynatrace';
import { describeFailure } from '../lib/failure/describe';
import { Failure, type FailureView } from '../lib/failure/failure';
import { gatherEvidence, zoneReachOf, type GatherSide } from '../lib/explain/gather';
import { parseSubject, type Subject } from '../lib/explain/subject';
import { explainVerdict, type ObjectFacts, type Verdict, type ZoneReach } from '../lib/explain/verdict';
import type { Inspection } from '../lib/inspector/inspection';
import { useInsightsStore } from '../stores/insights';
import { environmentZones, otherTokensOf, widestFirst } from './useAlternatives';
import { inspectStored } from './useInspector';

export interface UseExplainAccessOptions {
  tokens: Ref<readonly StoredToken[]>;
  /** The tab's token: explained unless the person picks another. */
  initial: Ref<StoredToken | null>;
  /** Builds a client for a stored token (default `clientForToken`); tests pass a client of a sandbox. */
  clientFor?: (t: StoredToken) => DynatraceClient;
  /** Inspects a token whose zones are not known (default: `inspectStored`, which records them). */
  inspect?: (t: StoredToken, signal: AbortSignal) => Promise<Inspection>;
}

/**
 * "Explain access" (docs/support.md): why a token can or cannot see an entity, a problem or a selector's entities,
 * judged from what the API answers the explained token and a broader reference token of the same environment. The
 * zones the explained token reaches come from inspection, run on demand when nothing is known. A new explanation
 * aborts the previous one, whose late answers are dropped.
 */
export function useExplainAccess(opts: UseExplainAccessOptions) {
  const insights = useInsightsStore();
  const clientFor = opts.clientFor ?? ((t: StoredToken) => clientForToken(t));
  const inspect = opts.inspect ?? ((t: StoredToken, signal: AbortSignal) => inspectStored(t, { insights, tokens: opts.tokens.value, signal, client: clientFor(t) }));

  const input = ref('');
  const explainedId = ref(opts.initial.value?.id ?? '');
  const referenceId = ref('');
  const explained = computed(() => opts.tokens.value.find((t) => t.id === explainedId.value) ?? null);
  /** Broader tokens of the explained token's environment, widest known zones first; never another environment's. */
  const referenceOptions = computed(() => widestFirst(otherTokensOf(opts.tokens.value, explained.value), (id) => insights.zonesOf(id)));
  watch(() => opts.initial.value?.id, (id) => { if (!explainedId.value && id) explainedId.value = id; });
  watch(referenceOptions, (options) => {
    if (!options.some((t) => t.id === referenceId.value)) referenceId.value = options[0]?.id ?? '';
  }, { immediate: true });

  const running = ref(false);
  /** Bad input: what is wrong and where; nothing was sent. */
  const inputError = shallowRef<FailureView | null>(null);
  /** The explanation itself failed (the vault locked, host access withdrawn). */
  const failure = shallowRef<FailureView | null>(null);
  const verdict = shallowRef<Verdict | null>(null);
  /** An entity name or display id matched several objects: the person picks one. */
  const candidates = shallowRef<ObjectFacts[]>([]);
  const elapsedMs = ref<number | null>(null);
  let controller: AbortController | null = null;
  let generation = 0;

  /** What is known of a token's zones: complete when an inspection on this page counted every page. */
  function reachOf(t: StoredToken): ZoneReach | null {
    const z = insights.zonesOf(t.id);
    if (!z) return null;
    const seen = insights.inspected[t.id];
    return { zones: [...z.zones], allZones: z.allZones, complete: seen?.complete ?? false, checkedAt: z.checkedAt };
  }

  function side(t: StoredToken): GatherSide {
    return {
      tokenId: t.id, label: t.label, owner: t.owner, client: clientFor(t), reach: reachOf(t),
      inspect: async (signal) => {
        const i = await inspect(t, signal);
        // What inspectStored recorded (its "every zone" also checks the other tokens' zones), else the inspection's.
        return { reach: reachOf(t) ?? zoneReachOf(i), requests: i.requests };
      },
    };
  }

  function abort() {
    controller?.abort();
    controller = null;
  }

  /** Explains the text in `input` (or a candidate the person picked). Bad input is refused before anything is sent. */
  async function explain(picked?: Subject): Promise<void> {
    inputError.value = null;
    let subject = picked;
    if (!subject) {
      const parsed = parseSubject(input.value);
      if (!parsed.ok) {
        inputError.value = describeFailure(new Failure('invalid-input', parsed.error.message));
        return;
      }
      subject = parsed.value;
    }
    const ex = explained.value;
    if (!ex) {
      inputError.value = describeFailure(new Failure('invalid-input', 'Choose the token to explain.'));
      return;
    }
    const reference = opts.tokens.value.find((t) => t.id === referenceId.value && t.environmentUrl === ex.environmentUrl) ?? null;
    abort();
    const ctrl = new AbortController();
    controller = ctrl;
    const mine = ++generation;
    running.value = true;
    verdict.value = null;
    candidates.value = [];
    failure.value = null;
    const started = performance.now();
    try {
      const result = await gatherEvidence(subject, side(ex), reference ? side(reference) : null, {
        signal: ctrl.signal, environmentZones: environmentZones(insights, opts.tokens.value, ex.environmentUrl),
      });
      if (mine !== generation) return;
      if (result.kind === 'choose') candidates.value = result.candidates;
      else verdict.value = explainVerdict(result.evidence);
    } catch (e) {
      if (mine !== generation || (e instanceof ApiError && e.kind === 'aborted')) return;
      failure.value = describeFailure(e, { operation: 'query' });
    } finally {
      if (mine === generation) {
        running.value = false;
        elapsedMs.value = Math.round(performance.now() - started);
        controller = null;
      }
    }
  }

  /** Explains one of several matches. */
  async function choose(c: ObjectFacts): Promise<void> {
    input.value = c.id;
    await explain(c.kind === 'entity' ? { kind: 'entity-id', id: c.id, input: c.id } : { kind: 'problem-id', id: c.id, input: c.id });
  }

  function cancel() {
    abort();
    generation++;
    running.value = false;
  }

  if (getCurrentScope()) onScopeDispose(abort);

  return { input, explainedId, referenceId, explained, referenceOptions, running, inputError, failure, verdict, candidates, elapsedMs, explain, choose, cancel };
}
