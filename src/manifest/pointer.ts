/** JSON pointers (RFC 6901): how diagnostics name a node of the manifest. */

export function escapePointerSegment(segment: string | number): string {
  const text = String(segment);
  // Most segments (names, indexes) need no escape: skip the two replaces (a manifest has thousands).
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let pointer = base;
  for (const segment of segments) pointer += `/${escapePointerSegment(segment)}`;
  return pointer;
}

/** The unescaped segments of a pointer: `/a~1b/0` -> ['a/b', '0']. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapePointerSegment);
}

/** `/vms/0/name` -> `/vms/0`; the root's parent is undefined. */
export function parentPointer(pointer: string): string | undefined {
  if (pointer === '') return undefined;
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** The value at a pointer in plain data, or undefined. */
export function valueAtPointer(data: unknown, pointer: string): unknown {
  let current: unknown = data;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
