import { describe, expect, it, vi } from 'vitest';

// A bug in a rule, stood in for by a rule runner that throws: no manifest can provoke it.
vi.mock('../../src/manifest/rules/index.js', () => ({
  runRules: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'name')");
  },
}));

const { loadLabFromText } = await import('../../src/manifest/load-lab.js');

describe('a bug in a rule', () => {
  it('refuses the manifest with internal-error instead of letting it through unchecked or crashing', () => {
    const text = 'apiVersion: labform/v1\nkind: Lab\nname: bug\nhosts:\n  - name: hv01\nvms: []\n';
    const { lab, diagnostics } = loadLabFromText({ text, file: 'bug.yaml' });
    expect(lab).toBeUndefined();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        rule: 'internal-error',
        severity: 'error',
        message: expect.stringMatching(/a bug in labform, please report it.*reading 'name'/),
      }),
    ]);
  });
});
