/**
 * How guessable a new vault passphrase looks, judged from its length and the kinds of characters in it. The vault's
 * key derivation slows each guess to about half a second, which protects a long passphrase and not a short common
 * word: the form warns (it does not refuse) below these marks.
 */

/** Below this length a passphrase draws a warning, whatever it is made of. */
export const STRONG_PASSPHRASE_LENGTH = 12;

/** Lower case, upper case, digits, anything else (spaces and punctuation count together). */
function characterKinds(text: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let other = false;
  for (const ch of text) {
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else other = true;
  }
  return [lower, upper, digit, other].filter(Boolean).length;
}

/** True when every character is the same, or the text is a run like `abcdef` / `123456` / `987654`. */
function isRunOrRepeat(text: string): boolean {
  if (text.length < 2) return true;
  const codes = [...text].map((ch) => ch.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (Math.abs(step) > 1) return false;
  return codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === step);
}

/**
 * A warning for a passphrase that is easy to guess, or `null` for one that is not. Empty text gets no warning (the
 * form says what is required instead).
 */
export function weakPassphraseWarning(passphrase: string): string | null {
  if (passphrase === '') return null;
  const length = [...passphrase].length;
  if (isRunOrRepeat(passphrase)) return 'This passphrase is a repeated character or a simple run: it is guessed at once. Use several unrelated words.';
  if (length < STRONG_PASSPHRASE_LENGTH && characterKinds(passphrase) < 3) {
    return `This passphrase is easy to guess: use at least ${STRONG_PASSPHRASE_LENGTH} characters, or mix upper and lower case, digits and symbols. Several unrelated words work well.`;
  }
  return null;
}
