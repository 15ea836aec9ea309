import { describe, expect, it } from 'vitest';
import { weakPassphraseWarning } from '../../../lib/vault/passphrase';

describe('weakPassphraseWarning', () => {
  it.each([
    ['aaaaaaaaaaaaaaaa', /repeated character or a simple run/],
    ['12345678', /repeated character or a simple run/],
    ['abcdefghijklmnop', /repeated character or a simple run/],
    ['98765432', /repeated character or a simple run/],
    ['password', /easy to guess/],
    ['Password', /easy to guess/],
    ['sunshine12', /easy to guess/],
  ])('warns about %j', (passphrase, warning) => {
    expect(weakPassphraseWarning(passphrase)).toMatch(warning);
  });

  it.each([
    ['correct horse battery staple'],
    ['Tr0ub4dor&3'],
    ['passwordpassword1'],
    ['grüne-äpfel-über'],
  ])('accepts %j', (passphrase) => {
    expect(weakPassphraseWarning(passphrase)).toBeNull();
  });

  it('says nothing about an empty field', () => {
    expect(weakPassphraseWarning('')).toBeNull();
  });
});
