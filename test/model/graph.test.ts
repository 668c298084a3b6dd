import { describe, expect, it } from 'vitest';
import {
  findCycle,
  longestPath,
  reachable,
  reversed,
  topologicalOrder,
  type DependencyGraph,
} from '../../src/model/graph.js';

/** `{ b: ['a'] }`: b needs a. */
function graph(preds: Record<string, string[]>): DependencyGraph {
  return { nodes: Object.keys(preds), predecessors: (id) => preds[id] ?? [] };
}

describe('graph utility', () => {
  it('orders every node after its predecessors, ready nodes in the given order', () => {
    const g = graph({ c: ['a', 'b'], a: [], b: ['a'], d: [] });
    expect(topologicalOrder(g)).toEqual({ order: ['a', 'd', 'b', 'c'], blocked: [] });
  });

  it('reports the nodes a cycle blocks and one cycle in dependency direction', () => {
    const g = graph({ a: ['c'], b: ['a'], c: ['b'], d: ['c'], e: [] });
    expect(topologicalOrder(g)).toEqual({ order: ['e'], blocked: ['a', 'b', 'c', 'd'] });
    expect(findCycle(g)).toEqual(['a', 'c', 'b', 'a']);
    expect(findCycle(graph({ a: [], b: ['a'] }))).toBeUndefined();
    expect(findCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  it('finds the longest weighted chain, breaking ties by the first predecessor and the first end', () => {
    const g = graph({ a: [], b: [], c: ['a', 'b'], d: ['b'] });
    const w: Record<string, number> = { a: 2, b: 2, c: 1, d: 1 };
    const result = longestPath(g, (id) => w[id]!);
    expect(result.path).toEqual(['a', 'c']);
    expect(result.length).toBe(3);
    expect(result.finish.get('d')).toBe(3);
    expect(longestPath(g, (id) => w[id]!, 10).finish.get('a')).toBe(12);
    expect(longestPath(graph({}), () => 1)).toEqual({ finish: new Map(), path: [], length: 0 });
    expect(() => longestPath(graph({ a: ['b'], b: ['a'] }), () => 1)).toThrow(/cyclic/);
  });

  it('turns edges around', () => {
    const r = reversed(graph({ a: [], b: ['a'], c: ['a'] }));
    expect(r.predecessors('a')).toEqual(['b', 'c']);
    expect(r.predecessors('b')).toEqual([]);
  });

  it('handles long chains without deep recursion', () => {
    const preds: Record<string, string[]> = { n0: [] };
    for (let i = 1; i < 50_000; i++) preds[`n${i}`] = [`n${i - 1}`];
    preds.n0 = ['n49999'];
    expect(findCycle(graph(preds))!.length).toBe(50_001);
  });
  it('reaches every predecessor of the roots once, the roots included, in depth-first preorder', () => {
    const g = graph({ a: [], b: ['a'], c: ['b', 'x'], d: ['c', 'a'], e: [] });
    expect([...reachable(g, ['d'])]).toEqual(['d', 'c', 'b', 'a', 'x']);
    expect([...reachable(g, ['b', 'e'])]).toEqual(['b', 'a', 'e']);
    expect(reachable(g, []).size).toBe(0);
  });

  it('follows a chain as long as the lab without recursion, and stops at cycles', () => {
    const preds: Record<string, string[]> = { n0: ['n49999'] };
    for (let i = 1; i < 50_000; i++) preds[`n${i}`] = [`n${i - 1}`];
    expect(reachable(graph(preds), ['n49999']).size).toBe(50_000);
  });
});
