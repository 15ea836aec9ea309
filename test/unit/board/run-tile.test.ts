import { describe, expect, it } from 'vitest';
import { firstMetricKey, metricUnit } from '../../../lib/board/run-tile';
import type { DynatraceClient } from '../../../lib/dynatrace';

/** A client whose descriptor request answers when `answer` is called, and fails with an abort when its signal fires. */
function slowClient() {
  const asked: string[] = [];
  let answer: () => void = () => {};
  const client = { metrics: { get: (key: string, opts?: { signal?: AbortSignal }) => new Promise((resolve, reject) => {
    asked.push(key);
    opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
    answer = () => resolve({ metricId: key, unit: 'Percent' });
  }) } } as unknown as DynatraceClient;
  return { client, asked, answer: () => answer() };
}

describe('metricUnit', () => {
  it('names the first metric of a selector', () => {
    expect(firstMetricKey('builtin:host.cpu.usage:splitBy("dt.entity.host"):avg,builtin:host.mem.usage')).toBe('builtin:host.cpu.usage');
    expect(firstMetricKey('  calc:service.errors:avg')).toBe('calc:service.errors');
  });

  it('asks once per client and key; a tile whose run is superseded does not take the unit from the tiles still waiting', async () => {
    const { client, asked, answer } = slowClient();
    const first = new AbortController();
    const a = metricUnit(client, 'builtin:host.cpu.usage:avg', first.signal);
    const b = metricUnit(client, 'builtin:host.cpu.usage:splitBy("dt.entity.host"):avg', new AbortController().signal);
    await new Promise((r) => setTimeout(r, 0)); // the descriptor request is in flight
    expect(asked).toEqual(['builtin:host.cpu.usage']);
    first.abort();
    expect(await a).toBeUndefined();
    answer();
    expect(await b).toBe('Percent');
    expect(await metricUnit(client, 'builtin:host.cpu.usage', new AbortController().signal)).toBe('Percent');
    expect(asked).toEqual(['builtin:host.cpu.usage']);
  });

  it('asks again after a failure', async () => {
    let calls = 0;
    const client = { metrics: { get: async () => { calls++; if (calls === 1) throw new Error('503'); return { unit: 'Byte' }; } } } as unknown as DynatraceClient;
    const signal = new AbortController().signal;
    expect(await metricUnit(client, 'builtin:host.mem.used', signal)).toBeUndefined();
    expect(await metricUnit(client, 'builtin:host.mem.used', signal)).toBe('Byte');
  });
});
