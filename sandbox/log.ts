/**
 * Log lines are written to a terminal or a file: whatever a caller sends (a decoded path may hold
 * any character) must stay on its own line and must not drive the terminal. Control characters
 * (C0, DEL, C1) and the Unicode line and paragraph separators become escapes; a backslash is
 * doubled, so an escape in the log always means an escaped character.
 */
export function escapeLogLine(line: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const plain = c >= 0x20 && c !== 0x5c && !(c >= 0x7f && c <= 0x9f) && c !== 0x2028 && c !== 0x2029;
    if (plain) continue;
    out += line.slice(start, i) + escape(c);
    start = i + 1;
  }
  return start === 0 ? line : out + line.slice(start);
}

function escape(c: number): string {
  switch (c) {
    case 0x5c: return '\\\\';
    case 0x0a: return '\\n';
    case 0x0d: return '\\r';
    case 0x09: return '\\t';
    default: return c > 0xff ? `\\u${c.toString(16).padStart(4, '0')}` : `\\x${c.toString(16).padStart(2, '0')}`;
  }
}
