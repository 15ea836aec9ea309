/**
 * JSON text written straight into a growing byte buffer: a metric answer of 5.7 MB (1,000 series × 288 points)
 * otherwise goes through a string per series, one string for the whole body and a UTF-8 copy of it, and formats
 * its 288,000 numbers with the general shortest-round-trip algorithm.
 */

const DIGIT0 = 48;

/**
 * Appends JSON to bytes. {@link number} writes exactly what `JSON.stringify` writes for the number (tests compare
 * them over random doubles), faster for the values the sandbox answers with: rounded to millionths below 1e9
 * (`tidy` in sandbox/metrics/engine.ts).
 */
export class JsonBytes {
  private buf: Buffer;
  private len = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Text that is already JSON (any Unicode), as UTF-8. */
  raw(text: string): this {
    this.room(text.length * 3);
    this.len += this.buf.write(text, this.len, 'utf8');
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /**
   * A number as `JSON.stringify` writes it (`null` for NaN and ±Infinity). Fast path: v = n/10⁶ for a whole n
   * and |v| < 10⁹. The decimal n/10⁶ (trailing zeros dropped) reads back as v, and no shorter decimal does:
   * any other decimal with at most six fractional digits is at least 10⁻⁶ away, more than the spacing of
   * doubles below 10⁹ (about 1.2·10⁻⁷), and one with more fractional digits is longer. So it is the shortest
   * round-trip form that `Number.prototype.toString` picks, in plain (non-exponent) notation from 10⁻⁶ up.
   */
  number(v: number): this {
    if (v > -1e9 && v < 1e9) {
      const n = Math.round(v * 1e6);
      if (n / 1e6 === v) {
        this.room(20);
        let a = n;
        if (a < 0) { this.buf[this.len++] = 45; a = -a; } // '-'; -0 is written as 0, as JSON does
        const frac = a % 1e6;
        this.int((a - frac) / 1e6);
        if (frac !== 0) {
          // Six digits, then the trailing zeros taken back.
          const buf = this.buf;
          let at = this.len;
          buf[at++] = 46; // '.'
          let f = frac;
          for (let d = 5; d >= 0; d--) { const q = Math.floor(f / 10); buf[at + d] = DIGIT0 + (f - q * 10); f = q; }
          at += 6;
          while (buf[at - 1] === DIGIT0) at--;
          this.len = at;
        }
        return this;
      }
    }
    return this.raw(Number.isFinite(v) ? String(v) : 'null');
  }

  /** A whole number from 0 to 10⁹. */
  private int(x: number): void {
    if (x < 10) { this.buf[this.len++] = DIGIT0 + x; return; }
    let digits = 1;
    for (let p = 10; p <= x; p *= 10) digits++;
    let at = this.len + digits;
    this.len = at;
    while (x >= 10) { const q = Math.floor(x / 10); this.buf[--at] = DIGIT0 + (x - q * 10); x = q; }
    this.buf[at - 1] = DIGIT0 + x;
  }

  /**
   * A list of values as JSON; NaN marks null (JSON writes NaN as null too). The same digits as {@link number}, in
   * one loop over local variables with the room reserved once: this loop writes most of a large answer.
   */
  numbers(values: Float64Array): this {
    // At most 18 bytes a value on the fast path ("-", 9 digits, ".", 6 digits) and a comma.
    this.room(values.length * 20 + 2);
    let buf = this.buf;
    let at = this.len;
    buf[at++] = 91; // '['
    for (let i = 0; i < values.length; i++) {
      if (i) buf[at++] = 44; // ','
      const v = values[i]!;
      if (v > -1e9 && v < 1e9) {
        const n = Math.round(v * 1e6);
        if (n / 1e6 === v) {
          let a = n;
          if (a < 0) { buf[at++] = 45; a = -a; }
          // a < 10¹⁵: the quotient is exact after floor, the remainder an exact whole number below 10⁶.
          let x = Math.floor(a / 1e6);
          let f = a - x * 1e6;
          if (x < 10) buf[at++] = DIGIT0 + x;
          else {
            let digits = 1;
            for (let p = 10; p <= x; p *= 10) digits++;
            let d = at + digits;
            at = d;
            while (x >= 10) { const q = (x / 10) | 0; buf[--d] = DIGIT0 + (x - q * 10); x = q; }
            buf[d - 1] = DIGIT0 + x;
          }
          if (f !== 0) {
            buf[at++] = 46; // '.'
            for (let d = 5; d >= 0; d--) { const q = (f / 10) | 0; buf[at + d] = DIGIT0 + (f - q * 10); f = q; }
            at += 6;
            while (buf[at - 1] === DIGIT0) at--;
          }
          continue;
        }
      }
      this.len = at;
      this.raw(Number.isFinite(v) ? String(v) : 'null');
      this.room((values.length - i) * 20 + 2);
      buf = this.buf;
      at = this.len;
    }
    buf[at++] = 93; // ']'
    this.len = at;
    return this;
  }

  /** The bytes written so far (a view, not a copy; Buffer.allocUnsafe never hands out a SharedArrayBuffer). */
  result(): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buf.buffer as ArrayBuffer, this.buf.byteOffset, this.len);
  }
}
