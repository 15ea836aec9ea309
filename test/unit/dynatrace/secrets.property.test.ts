/**
 * Property: whatever a server (or the network layer) does with the token, no error message, `String(err)`,
 * JSON of the error, inspected error, UI sentence or log line ever contains the token's secret.
 *
 * Generated: arbitrary valid dt0c01 tokens (the auth token and a second one passed to `tokens.lookup`), every
 * client operation, many failure responses (statuses, envelope shapes, non-JSON bodies, ingest bodies), the
 * secret echoed back in the body, in headers, in a redirect target and in a thrown network error, in several
 * shapes (whole, bare, lower case, after `Api-Token `, as `api-token=`, glued to text).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDynatraceClient, describeApiError, isApiError } from '../../../lib/dynatrace';
import { createLogger } from '../../../lib/log/logger';
import { ENV, fakeFetch } from './fake-fetch';

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const part = (n: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: n, maxLength: n });
const tokenArb = fc.tuple(part(24), part(64)).map(([pub, secret]) => `dt0c01.${pub}.${secret}`);
const secretOf = (token: string): string => token.slice(32);

type Echo = (token: string) => string;
const ECHOES: Record<string, Echo> = {
  whole: (t) => t,
  bare: (t) => secretOf(t),
  lower: (t) => t.toLowerCase(),
  lowerBare: (t) => secretOf(t).toLowerCase(),
  header: (t) => `Api-Token ${t}`,
  headerBare: (t) => `Authorization: Api-Token ${secretOf(t)}`,
  query: (t) => `/api/v2/metrics?api-token=${t}`,
  glued: (t) => `xyz${secretOf(t)}123`,
  gluedWhole: (t) => `AB${t}CD`,
  quoted: (t) => `'${t}'`,
  twice: (t) => `${t} ${secretOf(t)}`,
};
const echoArb = fc.constantFrom(...Object.keys(ECHOES)).map((k) => ECHOES[k] as Echo);

const statusArb = fc.constantFrom(200, 201, 204, 301, 302, 307, 400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 429, 500, 502, 503, 504);
const bodyKindArb = fc.constantFrom('message', 'violations', 'key', 'nested', 'text', 'ingest', 'empty', 'known-message');
const transportArb = fc.constantFrom('http', 'http', 'http', 'network', 'redirect-away', 'redirect-same');
const operationArb = fc.constantFrom('query', 'lookup', 'create', 'delete', 'update', 'get', 'listAll', 'ingest', 'entities', 'problems');

const KNOWN_MESSAGES = [
  'Token Authentication failed',
  'Token is missing required scope. Use one of: metrics.read (Read metrics)',
  "Management zone 'Production US' is not accessible to user 'anna@example.com'",
  "User 'anna@example.com' lacks the permission 'operator' required for this request",
];

function body(kind: string, status: number, echo: string, filler: string): string {
  switch (kind) {
    case 'message':
      return JSON.stringify({ error: { code: status, message: `${filler} ${echo}` } });
    case 'known-message':
      return JSON.stringify({ error: { code: status, message: `${KNOWN_MESSAGES[filler.length % KNOWN_MESSAGES.length] ?? ''} ${echo}` } });
    case 'violations':
      return JSON.stringify({
        error: { code: status, message: 'Constraints violated.', constraintViolations: [{ path: echo, message: `bad ${echo}`, parameterLocation: 'HEADER', location: echo }] },
      });
    case 'key':
      return JSON.stringify({ error: { code: status, message: filler }, [echo]: echo });
    case 'nested':
      return JSON.stringify({ error: { code: status, message: 'x', details: [[{ deep: { deeper: echo } }]] }, nextPageKey: echo, apiTokens: [{ id: echo }] });
    case 'ingest':
      return JSON.stringify({ linesOk: 0, linesInvalid: 1, error: { code: 400, message: echo, invalidLines: [{ line: 1, error: echo }] } });
    case 'text':
      return `<html>${filler}${echo}</html>`;
    default:
      return '';
  }
}

describe('no secret ever leaves through errors or logs', () => {
  it('client failures (generated tokens, responses, echoes)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        tokenArb,
        tokenArb,
        statusArb,
        bodyKindArb,
        transportArb,
        operationArb,
        echoArb,
        echoArb,
        fc.boolean(),
        fc.string({ maxLength: 20 }),
        async (token, other, status, bodyKind, transport, operation, echo, headerEcho, echoOther, filler) => {
          runs += 1;
          const secrets = [secretOf(token), secretOf(other)];
          // A server can only echo what it was sent: the second token travels only in lookup (body) and update
          // (passed as the id; the client sends only its id part but must still treat it as a secret).
          const sendsOther = operation === 'lookup' || operation === 'update';
          const echoed = echo(echoOther && sendsOther ? other : token);
          const headers: Record<string, string> = {
            'content-type': bodyKind === 'text' ? 'text/html' : 'application/json',
            'x-echo': headerEcho(token),
            'retry-after': headerEcho(token),
            'x-ratelimit-reset': secretOf(token),
          };
          let calls = 0;
          const { fetch } = fakeFetch(() => {
            calls += 1;
            if (transport === 'network') {
              throw new TypeError(`fetch failed ${echoed}`, { cause: new Error(`connect ECONNREFUSED ${headerEcho(token)}`) });
            }
            if (transport === 'redirect-away' && calls === 1) {
              return new Response(null, { status: 302, headers: { ...headers, location: `https://evil.example/${encodeURIComponent(echoed)}?t=${secretOf(token)}` } });
            }
            if (transport === 'redirect-same' && calls === 1) {
              return new Response(null, { status: 307, headers: { ...headers, location: `/api/v2/x?api-token=${token}` } });
            }
            const noBody = status === 204 || (status >= 300 && status < 400);
            return new Response(noBody ? null : body(bodyKind, status, echoed, filler), {
              status,
              headers: status >= 300 && status < 400 ? { ...headers, location: `${ENV}/${echoed}` } : headers,
            });
          });
          const lines: string[] = [];
          const logger = createLogger('prop', (_level, line) => lines.push(line));
          const client = createDynatraceClient({
            environmentUrl: ENV,
            getToken: () => token,
            fetch,
            logger,
            retry: { sleep: async () => undefined, random: () => 0 },
            maxRedirects: 2,
          });
          const run = async (): Promise<unknown> => {
            switch (operation) {
              case 'query':
                return client.metrics.query({ metricSelector: 'builtin:host.cpu.usage' });
              case 'lookup':
                return client.tokens.lookup(other);
              case 'create':
                return client.tokens.create({ name: 'n', scopes: ['metrics.read'], personalAccessToken: true });
              case 'delete':
                return client.tokens.delete(token);
              case 'update':
                return client.tokens.update(other, { enabled: false });
              case 'get':
                return client.tokens.get(token);
              case 'ingest':
                return client.metrics.ingest(`m ${1}`);
              case 'entities':
                return client.entities.list({ entitySelector: 'type(HOST)' });
              case 'problems':
                // An id that carries the auth token's secret (in some shape): the client knows it and redacts it
                // from the error's path. (A secret the client is never told about cannot be recognised in an id.)
                return client.problems.get(echo(token));
              default: {
                const out: unknown[] = [];
                for await (const t of client.tokens.listAll({}, { maxPages: 3 })) out.push(t);
                return out;
              }
            }
          };
          const outcome = await run().then(
            () => undefined,
            (e: unknown) => e,
          );
          const texts = [...lines];
          if (outcome !== undefined) {
            expect(isApiError(outcome)).toBe(true);
            if (isApiError(outcome)) {
              logger.error('call failed', outcome);
              logger.warn(outcome.toJSON());
              texts.push(
                outcome.message,
                String(outcome),
                JSON.stringify(outcome),
                inspect(outcome, { showHidden: true, depth: 30 }),
                describeApiError(outcome),
                outcome.stack ?? '',
                ...lines,
              );
            }
          }
          for (const text of texts) {
            const upper = text.toUpperCase();
            for (const secret of secrets) {
              if (upper.includes(secret)) {
                throw new Error(`secret leaked (${operation}/${transport}/${status}/${bodyKind}): ${text.slice(0, 400)}`);
              }
            }
          }
        },
      ),
      { numRuns: 10_000 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });

  it('the logger alone: a token anywhere in arbitrary text, objects or errors is redacted', () => {
    fc.assert(
      fc.property(tokenArb, fc.string(), fc.string(), fc.constantFrom('string', 'error', 'object', 'array'), (token, before, after, shape) => {
        const lines: string[] = [];
        const log = createLogger('p', (_l, line) => lines.push(line));
        const text = `${before}${token}${after}`;
        const arg = shape === 'string' ? text : shape === 'error' ? new Error(text) : shape === 'object' ? { [text]: text } : [text, { a: text }];
        log.warn(arg);
        expect(lines[0]?.toUpperCase()).not.toContain(secretOf(token));
      }),
      { numRuns: 10_000 },
    );
  });
});
