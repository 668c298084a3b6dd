/**
 * The HTML report of the guarded-fabric example in real headless Chromium (Debian's package,
 * installed by .ci/run): a screenshot into test-artifacts/, and the rendered DOM checked for
 * every VM, every switch and every step of the last apply.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/cli-harness.js';
import { loadLab } from '../../src/manifest/load-lab.js';
import { journalPath } from '../../src/executor/journal.js';
import { timelineOf } from '../../src/render/report/journal-run.js';

const CHROMIUM = '/usr/bin/chromium';
const FILE = path.resolve('examples/guarded-fabric.yaml');
const ARTIFACTS = path.resolve('test-artifacts/report');
const SIM = ['--sim', '--sim-speed', '500'];

describe('labform report in headless Chromium (guarded-fabric)', () => {
  let context: BrowserContext;
  let page: Page;
  let stateDir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)`);
    stateDir = await tempDir('labform-report-');
    expect((await cli(['apply', ...SIM, '--state-dir', stateDir, FILE, '-y'])).code).toBe(0);
    const out = path.join(stateDir, 'lab.html');
    const written = await cli(['report', ...SIM, '--state-dir', stateDir, FILE, '--out', out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^wrote .*lab\.html \(topology, 5 VMs, last apply: \d+ steps\)\n$/);
    context = await chromium.launchPersistentContext(
      mkdtempSync(path.join(os.tmpdir(), 'labform-chromium-')),
      {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1500, height: 1000 },
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    );
    page = await context.newPage();
    // Self-contained: any request besides the file itself is a defect.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(out).href);
    expect(requests).toEqual([pathToFileURL(out).href]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'guarded-fabric.png'), fullPage: true });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
  });

  it('draws every VM inside its host, every switch on every host it spans, with addresses and roles', async () => {
    const { lab } = await loadLab({ file: FILE });
    for (const vm of lab!.vms) {
      const box = page.locator(`svg.topology [data-kind="vm"][data-name="${vm.name}"]`);
      await expect(box.count()).resolves.toBe(1);
      const text = await box.textContent();
      const ip = vm.network.map((a) => (a.ip.kind === 'static' ? a.ip.address : '')).find(Boolean);
      if (ip) expect(text).toContain(ip);
      const vmRect = (await box.locator('rect').boundingBox())!;
      const hostRect = (await page
        .locator(`svg.topology [data-kind="host"][data-name="${vm.host}"] rect`)
        .boundingBox())!;
      expect(vmRect.x).toBeGreaterThanOrEqual(hostRect.x);
      expect(vmRect.x + vmRect.width).toBeLessThanOrEqual(hostRect.x + hostRect.width);
      expect(vmRect.y + vmRect.height).toBeLessThanOrEqual(hostRect.y + hostRect.height);
    }
    for (const n of lab!.networks) {
      for (const host of n.hosts)
        await expect(
          page
            .locator(`svg.topology [data-kind="switch"][data-name="${n.name}"][data-host="${host}"]`)
            .isVisible(),
        ).resolves.toBe(true);
    }
    expect(await page.locator('svg.topology [data-kind="vm"][data-name="dc01"]').textContent()).toContain(
      'DC',
    );
    expect(await page.locator('#vms tbody tr').count()).toBe(lab!.vms.length);
  });

  it('puts every step of the last apply on the timeline, waits as waits, the critical path highlighted', async () => {
    const lines = readFileSync(journalPath({ stateDir, lab: 'guarded-fabric' }), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const run = timelineOf(lines, 'apply')!;
    expect(run.steps.length).toBeGreaterThan(50);
    for (const step of run.steps) {
      const bar = page.locator(`svg.timeline [data-step-id="${step.id}"]`);
      await expect(bar.count()).resolves.toBe(1);
      const cls = (await bar.getAttribute('class'))!.split(' ');
      expect(cls).toContain(step.kind);
    }
    expect(await page.locator('svg.timeline .step.wait').count()).toBe(
      run.steps.filter((s) => s.kind === 'wait').length,
    );
    expect(run.criticalPath.length).toBeGreaterThan(1);
    expect(await page.locator('svg.timeline .step.critical').count()).toBe(run.criticalPath.length);
    // Bars start where their steps started: the first step's bar is left of the last one's.
    const first = (await page
      .locator(`svg.timeline [data-step-id="${run.steps[0]!.id}"] rect`)
      .boundingBox())!;
    const last = (await page
      .locator(`svg.timeline [data-step-id="${run.steps.at(-1)!.id}"] rect`)
      .boundingBox())!;
    expect(last.x).toBeGreaterThan(first.x);
    expect(await page.locator('#timeline').textContent()).toContain('of simulated time');
  });
});
