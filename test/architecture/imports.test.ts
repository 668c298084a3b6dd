import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the source tree (docs/architecture.md): imports form a DAG among files and among
 * the folders under src/, and the pure stages (diff/, plan/) reach nothing that does I/O.
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Imports {
  /** Files under src/ this file imports (static, type-only and dynamic imports alike). */
  local: string[];
  /** Package and node: specifiers. */
  packages: string[];
}

function importsOf(file: string): Imports {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm)].map(
    (m) => m[1]!,
  );
  // JSON modules are data (src/model/windows-features.json): they import nothing and do no I/O.
  const local = specifiers
    .filter((s) => s.startsWith('.') && !s.endsWith('.json'))
    .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
  return { local, packages: specifiers.filter((s) => !s.startsWith('.')) };
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => path.relative(SRC, f).split(path.sep).join('/');
/** The folder directly under src/ (a file at the top is its own folder). */
const topFolder = (f: string) => rel(f).split('/')[0]!.replace(/\.ts$/, '');

/** Every cycle's members (strongly connected components with more than one node, or a self-edge). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('source tree shape', () => {
  it('finds the source files and their imports (guards the checks below against a broken scan)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(path.join(SRC, 'plan/build-steps.ts'))!.local).toContain(
      path.join(SRC, 'plan/step-graph.ts'),
    );
    for (const [file, { local }] of graph)
      for (const target of local)
        expect(graph.has(target), `${rel(file)} imports missing ${target}`).toBe(true);
  });

  it('has no import cycle between files', () => {
    const edges = new Map([...graph].map(([f, i]) => [rel(f), new Set(i.local.map(rel))]));
    expect(cycles(edges)).toEqual([]);
  });

  it('has no import cycle between the folders under src/', () => {
    const edges = new Map<string, Set<string>>();
    for (const [f, i] of graph) {
      const from = topFolder(f);
      if (!edges.has(from)) edges.set(from, new Set());
      for (const t of i.local) if (topFolder(t) !== from) edges.get(from)!.add(topFolder(t));
    }
    expect(cycles(edges)).toEqual([]);
  });

  it('keeps model/, diff/ and plan/ free of I/O: nothing they reach imports the file system, processes, providers or orchestration', () => {
    const ioPackages =
      /^(node:)?(fs|fs\/promises|child_process|net|http|https|os|readline)$|^(execa|write-file-atomic|proper-lockfile|pino)$/;
    const ioFolders = new Set(['providers', 'powershell', 'app', 'cli', 'executor', 'log', 'render']);
    for (const folder of ['model', 'diff', 'plan']) {
      const seen = new Set<string>();
      const queue = files.filter((f) => topFolder(f) === folder);
      while (queue.length > 0) {
        const f = queue.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        expect(ioFolders.has(topFolder(f)), `${folder}/ reaches ${rel(f)}`).toBe(false);
        for (const p of graph.get(f)!.packages)
          expect(ioPackages.test(p), `${folder}/ reaches ${rel(f)}, which imports ${p}`).toBe(false);
        queue.push(...graph.get(f)!.local);
      }
    }
  });
});
