import type { Context } from 'hono';
import { SandboxError } from './errors';

const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function bad(message: string): SandboxError {
  return new SandboxError(400, `Invalid JSON body: ${message}`);
}

/**
 * Checks structure JSON.parse would accept silently: duplicate keys, prototype-polluting keys
 * and deep nesting. One linear pass over the text, strings skipped with their escapes.
 */
function checkStructure(text: string): void {
  const keys: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = keys[keys.length - 1];
      if (top && expectKey) {
        let key: string;
        try { key = JSON.parse(text.slice(i, j + 1)) as string; } catch { throw bad('malformed string'); }
        if (FORBIDDEN_KEYS.has(key)) throw bad(`the key "${key}" is not allowed`);
        if (top.has(key)) throw bad(`duplicate key "${key}"`);
        top.add(key);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      keys.push(ch === '{' ? new Set() : null);
      if (keys.length > MAX_DEPTH) throw bad(`nesting deeper than ${MAX_DEPTH} levels`);
      expectKey = ch === '{';
    } else if (ch === '}' || ch === ']') {
      keys.pop();
    } else if (ch === ',') {
      expectKey = keys[keys.length - 1] instanceof Set;
    }
  }
}

/** Reads a JSON request body whose root must be an object (or, with `allowArray`, an array). */
export async function readJsonBody(c: Context, allowArray = false): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new SandboxError(415, 'Unsupported Media Type: send the body as application/json');
  }
  const text = await c.req.text();
  let value: unknown;
  try { value = JSON.parse(text); } catch { throw bad('not parseable'); }
  checkStructure(text);
  const isObject = typeof value === 'object' && value !== null;
  if (!isObject || (Array.isArray(value) && !allowArray)) throw bad(allowArray ? 'the root must be an object or an array' : 'the root must be an object');
  return value;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value as Record<string, unknown>;
}

/** 400 naming the first field outside `allowed` (no mass assignment). */
export function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new SandboxError(400, 'Constraints violated.', [{ path: key, message: `unknown field ${key}`, parameterLocation: 'PAYLOAD_BODY', location: null }]);
    }
  }
}
