// Turns a blocked scenario plus the engine's fix into a new scenario whose server sends exactly the fix, so the
// real browser can prove that the fix makes the request pass.
import { correlate } from '../../src/capture/correlate.ts';
import { diagnose, type Diagnosis } from '../../src/core/diagnose.ts';
import { browserAnswer, fmt } from './agreement.ts';
import type { ConformanceRecording, RecordedFetch } from './fixture.ts';
import type { Origins } from './server.ts';
import type { HopBehaviour, Scenario, ScenarioHeaders } from './scenario.ts';

/** Concrete origins of a run back to the server's placeholders, so the fixed scenario replays on any ports. */
function template(value: string, origins: Origins): string {
  return value.replaceAll(origins.page, '{origin}').replaceAll(origins.api, '{api}').replaceAll(origins.third, '{third}');
}

/** Response headers without any CORS header, so only the fix's own headers decide. */
function withoutCors(headers: ScenarioHeaders): ScenarioHeaders {
  return headers.filter(([n]) => !/^access-control-|^vary$/i.test(n));
}

/** The scenario with the failing hop's server answering as the fix says, or null when the fix is not about
 *  headers (nothing to apply). */
export function applyFix(scenario: Scenario, d: Diagnosis, origins: Origins, round: number): Scenario | null {
  const fix = d.fix;
  if (!fix) return null;
  const at = Number(/\/(\d+)$/.exec(fix.url)?.[1] ?? '0');
  const hops: HopBehaviour[] = structuredClone(scenario.hops);
  const hop = hops[at];
  if (!hop) return null;
  const fixed = (headers: ReadonlyArray<readonly [string, string]>): ScenarioHeaders =>
    headers.map(([n, v]) => [n, template(v, origins)] as [string, string]);
  hop.response = { ...hop.response, headers: [...withoutCors(hop.response.headers), ...fixed(fix.response), ...fixed(fix.ifCredentialed)] };
  if (hop.response.redirect?.userinfo) hop.response.redirect = { ...hop.response.redirect, userinfo: false };
  if (fix.preflight.length > 0) {
    const status = hop.preflight && hop.preflight.status >= 200 && hop.preflight.status < 300 ? hop.preflight.status : 204;
    hop.preflight = { status, headers: [...fixed(fix.preflight), ...fixed(fix.ifCredentialed)] };
  }
  return { ...scenario, id: `${scenario.id}--fixed${round}`, title: `${scenario.title} (with Corsight's fix)`, hops };
}

export interface FixProof {
  /** Blocked fetches the engine offered a header fix for. */
  attempted: number;
  /** Of those, how many the real browser then let through, and after how many rounds of fixing. */
  passed: number;
  rounds: number[];
  /** Still blocked after the last round, with the browser's answer. */
  failed: string[];
  /** Blocked fetches without a header fix (mode same-origin, a redirect Chrome refuses outside CORS…). */
  noFix: string[];
}

/** Applies the engine's fix to every blocked scenario and replays the fixed scenarios in the real browser, up to
 *  `maxRounds` times (a fix at one hop can uncover the next hop's problem, which the next round fixes). */
export async function proveFixes(
  scenarios: readonly Scenario[],
  first: ConformanceRecording,
  record: (s: Scenario[]) => Promise<ConformanceRecording>,
  maxRounds = 3,
): Promise<FixProof> {
  const proof: FixProof = { attempted: 0, passed: 0, rounds: [], failed: [], noFix: [] };
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  let pending: Array<{ scenario: Scenario; rec: ConformanceRecording; fetch: RecordedFetch; original: string }> = [];
  for (const s of first.scenarios) {
    const f = s.fetches[0];
    const scenario = byId.get(s.id);
    if (f && scenario) pending.push({ scenario, rec: first, fetch: f, original: s.id });
  }
  for (let round = 1; round <= maxRounds && pending.length > 0; round++) {
    const next: Scenario[] = [];
    const origin = new Map<string, string>();
    for (const p of pending) {
      const ex = correlate(p.rec.browser, p.fetch.events)[0]?.exchange;
      if (!ex) continue;
      const d = diagnose(ex);
      const fixed = d.verdict === 'blocked' && d.mode === 'cors' ? applyFix(p.scenario, d, p.rec.origins, round) : null;
      if (!fixed) {
        // In round 1 only blocked exchanges count; later, a still-blocked request without a further fix is a failure.
        if (round > 1) proof.failed.push(`${p.original}: after round ${round - 1} the engine says ${d.verdict} and offers no further fix`);
        else if (d.verdict === 'blocked') proof.noFix.push(p.original);
        continue;
      }
      if (round === 1) proof.attempted++;
      next.push(fixed);
      origin.set(fixed.id, p.original);
    }
    if (next.length === 0) break;
    const rec = await record(next);
    const byFixed = new Map(next.map((s) => [s.id, s]));
    const still: typeof pending = [];
    for (const s of rec.scenarios) {
      const f = s.fetches[0];
      const scenario = byFixed.get(s.id);
      const original = origin.get(s.id);
      if (!f || !scenario || !original) continue;
      if (f.oracle.fetch === 'resolved') {
        proof.passed++;
        proof.rounds[round] = (proof.rounds[round] ?? 0) + 1;
      } else if (round === maxRounds) {
        proof.failed.push(`${original}: ${fmt(browserAnswer(rec, f))}`);
      } else {
        still.push({ scenario, rec, fetch: f, original });
      }
    }
    pending = still;
  }
  return proof;
}
