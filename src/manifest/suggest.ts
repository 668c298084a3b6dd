import { closest, distance } from 'fastest-levenshtein';

/** The closest candidate to a mistyped name, if it is close enough to be a plausible typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, [...candidates]);
  const limit = Math.max(2, Math.floor(Math.max(name.length, best.length) / 3));
  if (distance(name.toLowerCase(), best.toLowerCase()) <= limit) return best;
  return undefined;
}

/** "; did you mean `x`?" or "". */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : `; did you mean \`${best}\`?`;
}

/** A value shown in a message: control characters escaped, long values cut, so output stays one clean line. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return safe.length > 80 ? `${safe.slice(0, 77)}...` : safe;
}
