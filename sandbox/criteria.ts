import { badParameter } from './errors';

const BARE_STOP = new Set([',', '(', ')', '"']);
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * `name("a","b"),other(x)`: criteria AND-ed, values OR-ed, values quoted with `~` escapes or bare.
 * One pass over the input, no backtracking: selectors come straight from the query string.
 */
export function parseCriteria(input: string, param: string, allowed: readonly string[]): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  let i = 0;
  const fail = (msg: string) => badParameter(param, `${msg} (at position ${i + 1})`);
  const ws = () => { while (i < input.length && /\s/.test(input[i]!)) i++; };
  while (i < input.length) {
    ws();
    const start = i;
    while (i < input.length && isLetter(input.charCodeAt(i))) i++;
    const name = input.slice(start, i);
    if (name === '') throw fail('expected a criterion name');
    if (!allowed.includes(name)) { i = start; throw fail(`unknown criterion "${name.slice(0, 40)}": use ${allowed.join(', ')}`); }
    ws();
    if (input[i] !== '(') throw fail(`expected "(" after ${name}`);
    i++;
    const values: string[] = [];
    for (;;) {
      ws();
      if (input[i] === '"') {
        let v = '';
        i++;
        while (i < input.length && input[i] !== '"') {
          if (input[i] === '~' && i + 1 < input.length) i++;
          v += input[i++];
        }
        if (input[i] !== '"') throw fail('unterminated quoted value');
        i++;
        values.push(v);
      } else {
        const from = i;
        while (i < input.length && !BARE_STOP.has(input[i]!) && !/\s/.test(input[i]!)) i++;
        if (i === from) throw fail(`expected a value in ${name}(...)`);
        values.push(input.slice(from, i));
      }
      ws();
      if (input[i] === ',') { i++; continue; }
      if (input[i] === ')') { i++; break; }
      throw fail(`expected "," or ")" in ${name}(...)`);
    }
    out.push({ name, values });
    ws();
    if (i < input.length) {
      if (input[i] !== ',') throw fail('expected "," between criteria');
      i++;
    }
  }
  return out;
}
