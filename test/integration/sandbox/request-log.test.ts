import { beforeEach, describe, expect, it } from 'vitest';
import { createTestSandbox, DEMO, type TestSandbox } from '../../helpers/sandbox';

/** The `--log` request log: one line per request, and nothing a caller sends can forge another. */
describe('sandbox request log', () => {
  let sb: TestSandbox;
  let token: string;
  beforeEach(async () => {
    sb = createTestSandbox();
    token = await sb.mintPat(DEMO.analyst, ['entities.read']);
    sb.logs.length = 0;
  });

  it('writes a decoded path with its control characters escaped, so a %0A cannot start a forged line', async () => {
    await sb.request('/api/v2/entities/HOST-0000000000000000%0AGET%20/api/v2/apiTokens%20200', { token });
    await sb.request('/api/v2/entities/x%00y%0D%1B[31m%7F%C2%85%E2%80%A8z', { token });
    expect(sb.logs).toEqual([
      'GET /api/v2/entities/HOST-0000000000000000\\nGET /api/v2/apiTokens 200 404',
      'GET /api/v2/entities/x\\x00y\\r\\x1b[31m\\x7f\\x85\\u2028z 404',
    ]);
  });

  it('keeps a backslash in a path distinguishable from an escape', async () => {
    await sb.request('/api/v2/entities/a%5Cnb', { token });
    expect(sb.logs).toEqual(['GET /api/v2/entities/a\\\\nb 404']);
  });

  it('leaves printable text, including non-ASCII letters, as it is', async () => {
    await sb.request(`/api/v2/entities/${encodeURIComponent('Zürich-東京')}`, { token });
    expect(sb.logs).toEqual(['GET /api/v2/entities/Zürich-東京 404']);
  });
});
