// Prints what the recorded fixtures say: agreement per browser, scenarios per reason, and where the two browsers
// decide the same exchange differently (`npm run conformance:report`).
import { browserAnswer, compareRecording, compareTriggers, fmt, summarize } from './agreement.ts';
import { loadRecording, loadScenarios } from './corpus.ts';
import type { ConformanceRecording } from './fixture.ts';

const scenarios = loadScenarios();
const recordings = (['chrome', 'firefox'] as const).map((b) => loadRecording(b)).filter((r): r is ConformanceRecording => r !== null);

for (const rec of recordings) {
  const rows = compareRecording(rec);
  const triggers = compareTriggers(rec);
  console.log(`\n${rec.browserVersion} (recorded ${rec.recordedAt}), ${rec.scenarios.length} scenarios`);
  console.log(`  verdicts: ${summarize(rows)}`);
  console.log(`  preflight need and Access-Control-Request-Headers: ${triggers.filter((t) => t.agree).length}/${triggers.length}`);
  const byReason = new Map<string, number>();
  for (const r of rows) {
    const key = r.browser.reason ?? `(${r.browser.verdict})`;
    byReason.set(key, (byReason.get(key) ?? 0) + 1);
  }
  console.log('  fetches per browser answer:');
  for (const [k, n] of [...byReason].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)}  ${k}`);
  const ambiguous = rows.filter((r) => r.agreement === 'agree-ambiguous');
  if (ambiguous.length) {
    console.log('  decided only up to what webRequest hides (browser answer is among the engine\'s alternatives):');
    for (const r of ambiguous) console.log(`    ${r.id}: ${r.detail}`);
  }
}

const [chrome, firefox] = recordings;
if (chrome && firefox) {
  console.log('\nScenarios the two browsers decide differently (blocked vs allowed):');
  const ff = new Map(firefox.scenarios.map((s) => [s.id, s]));
  for (const s of chrome.scenarios) {
    const other = ff.get(s.id);
    if (!other) continue;
    s.fetches.forEach((f, i) => {
      const g = other.fetches[i];
      if (!g) return;
      const a = browserAnswer(chrome, f);
      const b = browserAnswer(firefox, g);
      const blocked = (v: string): boolean => v === 'blocked' || v === 'rejected' || v === 'network-error';
      if (blocked(a.verdict) !== blocked(b.verdict)) {
        const title = scenarios.find((x) => x.id === s.id)?.title ?? '';
        console.log(`  ${s.id}: Chromium ${fmt(a)}; Firefox ${fmt(b)}\n      ${title}`);
      }
    });
  }
}
