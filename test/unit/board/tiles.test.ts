import { describe, expect, it } from 'vitest';
import { boardExport, moveTile, parseBoardImport, runBounded, type Tile } from '../../../lib/board/tiles';

const tile = (title: string, extra: Partial<Tile> = {}): Tile => ({ id: title, title, kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage' }, timeframe: '2h', chart: 'line', ...extra });

describe('board export and import', () => {
  it('round-trips tiles through JSON with fresh ids', () => {
    const tiles = [tile('CPU'), tile('Errors', { kind: 'problem', query: { problemSelector: 'status("open")' }, chart: 'bar' })];
    const text = JSON.stringify(boardExport('https://abc.live.dynatrace.com', tiles, 0));
    const back = parseBoardImport(text);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.tiles.map(({ id: _id, ...t }) => t)).toEqual(tiles.map(({ id: _id, ...t }) => t));
    expect(back.tiles.every((t) => !['CPU', 'Errors'].includes(t.id))).toBe(true);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['another format', '{"format":"x"}', /not a Tokenscope board/],
    ['a newer version', '{"format":"tokenscope-board","version":2,"tiles":[]}', /version 2/],
    ['a tile without title', '{"format":"tokenscope-board","version":1,"tiles":[{"kind":"metric","query":{"metricSelector":"a"},"timeframe":"2h"}]}', /Tile 1: "title"/],
    ['an unknown kind', '{"format":"tokenscope-board","version":1,"tiles":[{"title":"x","kind":"sql","query":{},"timeframe":"2h"}]}', /"kind"/],
    ['an unknown query field', '{"format":"tokenscope-board","version":1,"tiles":[{"title":"x","kind":"metric","query":{"metricSelector":"a","token":"b"},"timeframe":"2h"}]}', /unknown query field "token"/],
    ['a metric tile without selector', '{"format":"tokenscope-board","version":1,"tiles":[{"title":"x","kind":"metric","query":{},"timeframe":"2h"}]}', /metricSelector/],
    ['a secret', `{"format":"tokenscope-board","version":1,"tiles":[],"note":"dt0c01.${'A'.repeat(24)}.${'B'.repeat(64)}"}`, /secret/],
  ])('refuses %s with a message naming the problem', (_what, text, message) => {
    const r = parseBoardImport(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('moves tiles within bounds', () => {
    const ts = [tile('a'), tile('b'), tile('c')];
    expect(moveTile(ts, 'c', -1).map((t) => t.id)).toEqual(['a', 'c', 'b']);
    expect(moveTile(ts, 'a', -1).map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('runBounded', () => {
  it('never runs more than the limit at once and settles each task on its own', async () => {
    let running = 0;
    let peak = 0;
    const tasks = Array.from({ length: 10 }, (_, i) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 3) throw new Error('tile 3 failed');
      return i;
    });
    const results = await runBounded(tasks, 4);
    expect(peak).toBe(4);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
    expect(results[3]).toMatchObject({ status: 'rejected' });
  });
});

describe('tile views in a board file', () => {
  const file = (chart: unknown) => JSON.stringify({ format: 'tokenscope-board', version: 1, environmentUrl: 'https://x', tiles: [{ title: 'CPU', kind: 'metric', query: { metricSelector: 'builtin:host.cpu.usage' }, timeframe: '2h', chart }] });

  it('keeps single value and top list tiles', () => {
    for (const chart of ['line', 'bar', 'single', 'top'] as const) {
      const r = parseBoardImport(file(chart));
      expect(r.ok && r.tiles[0]!.chart).toBe(chart);
    }
  });

  it('refuses an unknown view, naming the tile and the field', () => {
    expect(parseBoardImport(file('pie'))).toEqual({ ok: false, error: 'Tile 1: "chart" must be one of line, bar, single, top.' });
  });
});
