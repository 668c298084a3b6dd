import { describe, expect, it } from 'vitest';
import { load, manifest } from './helpers.js';
import { parseDuration, parseSize } from '../../src/model/units.js';

const vmWith = (line: string) =>
  manifest({ vms: `  - name: a\n    image: ws\n    credential: admin\n    ${line}` });
const ok = (text: string) =>
  load(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.rule}: ${d.message}`);

describe('sizes', () => {
  it.each(['2GB', '2048MB', '1.5GB', '536870912', '1TB'])('accepts %s', (size) =>
    expect(ok(vmWith(`memory: ${size}`))).toEqual([]),
  );
  it.each(['2 GB', '2gb', '2G', '-1', 'GB', '2.GB'])('rejects %s', (size) =>
    expect(ok(vmWith(`memory: "${size}"`))[0]).toMatch(/^schema/),
  );
  it('normalises to bytes in binary multiples', () => {
    expect(parseSize('1GB')).toBe(1073741824);
    expect(parseSize('1.5KB')).toBe(1536);
    expect(parseSize(42)).toBe(42);
  });
});

describe('durations', () => {
  it.each(['90s', '10m', '1h', '1.5h'])('accepts %s', (d) =>
    expect(
      ok(manifest({ extra: `# ${d}` }).replace('settings:\n', `settings:\n  timeouts: { step: ${d} }\n`)),
    ).toEqual([]),
  );
  it.each(['10', '10min', '1d', 'm'])('rejects %s', (d) =>
    expect(ok(manifest().replace('settings:\n', `settings:\n  timeouts: { step: "${d}" }\n`))[0]).toMatch(
      /^schema/,
    ),
  );
  it('normalises to milliseconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
  });
});

describe('names', () => {
  it.each(['dc01', 'DC-01', 'a.b_c', '9lives'])('accepts %s', (n) =>
    expect(ok(manifest({ vms: `  - { name: "${n}" }` }))).toEqual([]),
  );
  it.each(['-dc', 'dc 01', 'dc;rm', 'a/b', '', 'x'.repeat(64), '$(calc)'])('rejects %j', (n) =>
    expect(ok(manifest({ vms: `  - { name: "${n}" }` }))[0]).toMatch(/^schema/),
  );
  it('rejects a bad lab name', () =>
    expect(ok(manifest({ head: 'apiVersion: labform/v1\nkind: Lab\nname: Bad_Name' }))[0]).toMatch(
      /^schema/,
    ));
});

describe('CIDRs and addresses', () => {
  const net = (prefix: string) =>
    manifest({ extra: `networks:\n  - { name: N, type: internal, prefix: "${prefix}" }` });
  it.each(['10.0.0.0/8', '192.168.50.0/24', '0.0.0.0/0'])('accepts %s', (p) =>
    expect(ok(net(p))).toEqual([]),
  );
  it.each(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/24', '::1/128', '010.0.0.0/8'])(
    'rejects %s',
    (p) => expect(ok(net(p))[0]).toMatch(/^schema/),
  );
});

describe('MACs', () => {
  const withMac = (mac: string) =>
    manifest({
      extra: 'networks:\n  - { name: N, type: private }',
      vms: `  - { name: a, network: [{ network: N, mac: "${mac}" }] }`,
    });
  it.each(['00-15-5D-01-02-03', '00:15:5d:01:02:03', '00155D010203'])('accepts %s', (m) => {
    const { lab, diagnostics } = load(withMac(m));
    expect(diagnostics).toEqual([]);
    expect(lab!.vms[0]!.network[0]!.mac).toBe('00155D010203');
  });
  it.each(['00-15-5D-01-02', '00155D01020G', '00-15:5D-01-02-03'])('rejects %s', (m) =>
    expect(ok(withMac(m))[0]).toMatch(/^schema/),
  );
});
