import { badParameter } from './errors';

/** `name("a","b"),other(x)`: criteria AND-ed, values OR-ed, values quoted with `~` escapes or bare. */
export function parseCriteria(input: string, param: string, allowed: readonly string[]): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  let i = 0;
  const fail = (msg: string) => badParameter(param, `${msg} (at position ${i + 1})`);
  const ws = () => { while (i < input.length && /\s/.test(input[i]!)) i++; };
  while (i < input.length) {
    ws();
    const m = /^[A-Za-z]+/.exec(input.slice(i, i + 40));
    if (!m) throw fail('expected a criterion name');
    if (!allowed.includes(m[0])) throw fail(`unknown criterion "${m[0]}": use ${allowed.join(', ')}`);
    i += m[0].length;
    ws();
    if (input[i] !== '(') throw fail(`expected "(" after ${m[0]}`);
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
        const u = /^[^,()"\s]+/.exec(input.slice(i, i + 1000));
        if (!u) throw fail(`expected a value in ${m[0]}(...)`);
        values.push(u[0]);
        i += u[0].length;
      }
      ws();
      if (input[i] === ',') { i++; continue; }
      if (input[i] === ')') { i++; break; }
      throw fail(`expected "," or ")" in ${m[0]}(...)`);
    }
    out.push({ name: m[0], values });
    ws();
    if (i < input.length) {
      if (input[i] !== ',') throw fail('expected "," between criteria');
      i++;
    }
  }
  return out;
}
