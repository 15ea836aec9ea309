import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLine } from '../../../sandbox/metrics/ingest';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('metric ingestion line protocol (docs/dynatrace-api-notes.md §5.5)', () => {
  it.each([
    ['cpu.temperature 55', { key: 'cpu.temperature', dims: {}, type: 'gauge', count: 1, sum: 55, ts: null }],
    ['cpu.temperature,host=a,cpu.id="0 1" gauge,45.5', { dims: { host: 'a', 'cpu.id': '0 1' }, sum: 45.5 }],
    [`cpu.temperature,Host=A 1e2 ${NOW}`, { dims: { host: 'A' }, sum: 100, ts: NOW }],
    ['cpu.temperature gauge,min=17.1,max=17.3,sum=34.4,count=2', { count: 2, min: 17.1, max: 17.3, sum: 34.4 }],
    ['requests.total count,delta=50', { type: 'count', sum: 50 }],
    ['my-metric_x.a-b 1', { key: 'my-metric_x.a-b' }],
    ['quoted,k="a \\"b\\" \\\\ c" 1', { dims: { k: 'a "b" \\ c' } }],
    ['tabs\t1', { key: 'tabs', sum: 1 }],
  ])('%s', (line, expected) => {
    expect(parseLine(line, NOW)).toMatchObject({ kind: 'data', ...expected });
  });

  it.each([
    ['#cpu.temperature gauge dt.meta.unit=celsius,dt.meta.displayName="CPU temp",dt.meta.description="a, b"', { kind: 'meta', key: 'cpu.temperature', type: 'gauge', unit: 'celsius', displayName: 'CPU temp', description: 'a, b' }],
    ['#x.count count dt.meta.unit=COUNT', { kind: 'meta', unit: 'Count' }],
    ['# just a comment', { kind: 'skip' }],
    ['#', { kind: 'skip' }],
    ['   ', { kind: 'skip' }],
  ])('%s', (line, expected) => {
    expect(parseLine(line, NOW)).toMatchObject(expected);
  });

  it.each([
    ['system.load.average.1m 2.33', "failed to parse metric key of message 'system.load.average.1m 2.33'; error at '1' (index 20)"],
    ['9lives 1', "error at '9' (index 0)"],
    ['a..b 1', 'metric key'],
    ['ab 1', '3 to 255'],
    ['dt.my.metric 1', "reserved prefix 'dt.'"],
    ['key.x', "failed to parse payload of message 'key.x'; error at 'end of line' (index 5)"],
    ['key.x abc', 'neither a number'],
    ['key.x gauge,min=1,max=2', 'needs all of min, max, sum and count'],
    ['key.x gauge,min=3,max=2,sum=5,count=2', 'greater than max'],
    ['key.x gauge,min=1,max=2,sum=9,count=2', 'does not fit'],
    ['key.x gauge,min=1,max=2,sum=3,count=1.5', 'whole number'],
    ['key.x count,delta=-1', 'negative'],
    ['key.x count,5', 'count,delta=<number>'],
    ['key.x NaN', 'neither a number'],
    ['key.x 1 12x', 'not a number of milliseconds'],
    [`key.x 1 ${NOW - 2 * 3_600_000}`, 'outside the accepted range'],
    [`key.x 1 ${NOW + 11 * 60_000}`, 'outside the accepted range'],
    [`key.x 1 ${NOW} more`, "failed to parse line"],
    ['key.x,a=1,a=2 1', 'given twice'],
    ['key.x,=1 1', 'dimension key'],
    ['key.x,a= 1', 'dimension value'],
    ['key.x,a="open 1', 'dimension value'],
    ['#key.x histogram', 'gauge or count'],
    ['#key.x gauge dt.meta.color=red', 'unknown metadata key'],
  ])('rejects %s', (line, message) => {
    expect(() => parseLine(line, NOW)).toThrow(message);
  });

  // A body may be one 1 MB line: scanning it must stay linear. A quadratic pattern takes seconds on
  // 100 kB; a linear scan takes a few milliseconds.
  it.each([
    ['100 kB of digits before a rejected character', `key.x ${'1'.repeat(100_000)}x`, 'neither a number'],
    ['100 kB of digits in a gauge summary field', `key.x gauge,min=${'1'.repeat(100_000)}x,max=1,sum=1,count=1`, 'not a finite number'],
    ['100 kB of spaces before a rejected character', `key.x 1${' '.repeat(100_000)}\u0001`, 'not a number of milliseconds'],
  ])('rejects %s at once', (_name, line, message) => {
    const started = performance.now();
    expect(() => parseLine(line, NOW)).toThrow(message);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('never throws anything but a line error, whatever the input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (line) => {
      try { parseLine(line, NOW); } catch (e) { expect((e as Error).constructor.name).toBe('LineError'); }
    }), { numRuns: 2000 });
  });
});
