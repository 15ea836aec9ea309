import { describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick, shallowRef } from 'vue';
import { clearQueryCache, useApiQuery, type ClientIdentity } from '../../../composables/useApiQuery';
import { ApiError, type DynatraceClient } from '../../../lib/dynatrace';

const fakeClient = {} as DynatraceClient;
const idA: ClientIdentity = { tokenId: 'dt0c01.AAAAAAAAAAAAAAAAAAAAAAAA', client: fakeClient };
const idB: ClientIdentity = { tokenId: 'dt0c01.BBBBBBBBBBBBBBBBBBBBBBBB', client: fakeClient };

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('useApiQuery', () => {
  it('aborts the old token\'s request on a switch and never shows its late answer (A slow, B fast)', async () => {
    vi.useFakeTimers();
    clearQueryCache();
    const scope = effectScope();
    const identity = shallowRef<ClientIdentity | null>(idA);
    const q = scope.run(() => useApiQuery<string>(identity))!;
    const shown: (string | null)[] = [];
    const signals: Record<string, AbortSignal> = {};
    const fn = (_c: DynatraceClient, signal: AbortSignal) => {
      const who = identity.value!.tokenId === idA.tokenId ? 'A' : 'B';
      signals[who] = signal;
      return new Promise<string>((resolve) => setTimeout(() => resolve(`data of ${who}`), who === 'A' ? 2000 : 100));
    };
    const running = q.run('cpu', fn);
    await vi.advanceTimersByTimeAsync(50);
    identity.value = idB; // the switch at 50 ms
    await nextTick();
    const watchShown = setInterval(() => shown.push(q.data.value), 10);
    await vi.advanceTimersByTimeAsync(2500);
    await running;
    clearInterval(watchShown);
    expect(signals.A!.aborted).toBe(true);
    expect(q.data.value).toBe('data of B');
    expect(q.dataTokenId.value).toBe(idB.tokenId);
    expect(shown).not.toContain('data of A');
    scope.stop();
    vi.useRealTimers();
  });

  it('drops the answer of a superseded run', async () => {
    clearQueryCache();
    const identity = shallowRef<ClientIdentity | null>(idA);
    const q = useApiQuery<number>(identity);
    const first = deferred<number>();
    const p1 = q.run('k1', () => first.promise);
    const p2 = q.run('k2', async () => 2);
    await p2;
    first.resolve(1);
    await p1;
    expect(q.data.value).toBe(2);
    expect(q.status.value).toBe('success');
  });

  it('keeps an ApiError for the view and ignores an aborted one', async () => {
    clearQueryCache();
    const identity = shallowRef<ClientIdentity | null>(idA);
    const q = useApiQuery<number>(identity, { rerunOnSwitch: false });
    const err = new ApiError({ kind: 'missing-scope', method: 'GET', path: '/api/v2/metrics/query', message: 'x', scopes: [{ name: 'metrics.read' }] } as never);
    await q.run('k', async () => { throw err; });
    expect(q.status.value).toBe('error');
    expect(q.error.value).toBe(err);
  });

  it('caches per token: switching back shows the cached result of that token at once', async () => {
    clearQueryCache();
    const identity = shallowRef<ClientIdentity | null>(idA);
    const q = useApiQuery<string>(identity, { rerunOnSwitch: false });
    await q.run('k', async () => 'A1');
    identity.value = idB;
    await nextTick();
    expect(q.data.value).toBeNull();
    await q.run('k', async () => 'B1');
    identity.value = idA;
    await nextTick();
    const pending = deferred<string>();
    const p = q.run('k', () => pending.promise);
    expect(q.data.value).toBe('A1');
    pending.resolve('A2');
    await p;
    expect(q.data.value).toBe('A2');
  });
});
