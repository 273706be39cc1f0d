// Replays watch streams recorded from the real Flux controllers (test/flux/*, run with
// FLUX_HEALTH_RECORD=test/wait/streams) through the judge, one event at a time, as the wait sees
// them. The controllers write conditions and the rest of status in two requests, so many of these
// intermediate states are half-written: the judge must never give the wrong final verdict on any
// of them, and must give the right one at the end.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/cluster/kube-object.js';
import { overall, step, type WaitMemory } from '../../src/wait/judge.js';
import { keyOf, toWaitObject } from '../../src/wait/objects.js';
import { planWait } from '../../src/wait/plan.js';

interface Recording {
  scenario: string;
  expected: string;
  truth: 'converged' | 'failed';
  events: { type: string; object: KubeObject }[];
}

const dir = new URL('./streams/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('recorded real-controller streams replayed through the judge', () => {
  it('there are recordings of converged and failed waits', () => {
    const truths = files.map((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Recording).truth);
    expect(truths).toContain('converged');
    expect(truths).toContain('failed');
  });

  it.each(files)('%s: the first verdict the wait would stop at is the right one', (file) => {
    const rec = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Recording;
    const state = new Map<string, KubeObject>();
    const memory: WaitMemory = { reached: new Set(), firstDeployed: new Map() };
    // Each watch starts with an ADDED event per existing object: together they are the state the
    // wait first lists, so judging starts after them, as the wait's does.
    const initial = Math.max(0, rec.events.findIndex((e) => e.type !== 'ADDED') - 1);
    let judged = 0;
    for (const [i, e] of rec.events.entries()) {
      const o = toWaitObject(e.object);
      if (e.type === 'DELETED') state.delete(keyOf(o));
      else state.set(keyOf(o), e.object);
      if (i < initial) continue;
      const objects = [...state.values()].map(toWaitObject);
      // Earlier waits' requests stay on objects until this one's arrive: the newest is this wait's.
      const asked = objects
        .map((x) => x.requestedAt)
        .filter((x): x is string => x !== undefined)
        .sort()
        .pop();
      if (asked !== undefined) memory.requestedAt = asked;
      const verdicts = step(planWait(objects, {}, rec.expected), memory);
      const now = overall(verdicts);
      judged++;
      if (now === 'waiting') continue;
      // The wait stops here: this must be the truth, whatever half-written state it came from.
      const detail = verdicts.map((v) => `${v.kind}/${v.name} ${v.state}: ${v.reason}`).join('\n');
      expect(now, `event ${i} of ${rec.events.length} (${o.kind}/${o.name}):\n${detail}`).toBe(rec.truth);
      return;
    }
    expect.fail(`no verdict after ${judged} states: the wait would time out on ${rec.scenario}`);
  });
});
