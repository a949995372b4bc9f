/** Character-level helpers shared by the masker and the miner: plain loops, no regex. */

export const WILDCARD = '<*>';

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlphaCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAlnumCode(c: number): boolean {
  return isDigitCode(c) || isAlphaCode(c);
}

export function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    if (isDigitCode(token.charCodeAt(i))) return true;
  }
  return false;
}

/** A token produced by masking (or merged by the miner) that stands for a variable part. */
export function hasPlaceholder(token: string): boolean {
  const open = token.indexOf('<');
  return open >= 0 && token.indexOf('>', open + 2) > open;
}
