// The browser setup a scenario needs beyond the default page (Local Network Access), shared by both runners.
import type { PageSetup, Scenario } from './scenario.ts';

/** Host name of the non-secure page origin; each runner makes it resolve to 127.0.0.1 (never the real DNS). */
export const INSECURE_HOST = 'test.example';

/** Whether any scenario needs Local Network Access setup. Without one, a runner launches exactly as before, so
 *  the main corpus is recorded as it always was. */
export function usesLna(scenarios: readonly Scenario[]): boolean {
  return scenarios.some((s) => s.page !== undefined || s.lna !== undefined || s.request.targetAddressSpace !== undefined);
}

export function needsInsecureHost(scenarios: readonly Scenario[]): boolean {
  return scenarios.some((s) => s.page?.insecure === true);
}

export function isPublicPage(page: PageSetup | undefined): boolean {
  return page?.addressSpace === 'public';
}

/** Identifies the page and permission a scenario runs with: a runner re-applies its setup whenever this changes
 *  from one scenario to the next. Every main-corpus scenario has the key of the page the runner starts on. */
export function setupKey(scenario: Scenario): string {
  return JSON.stringify([isPublicPage(scenario.page), scenario.page?.insecure === true, scenario.lna ?? null]);
}

export const DEFAULT_SETUP_KEY = setupKey({ id: '', title: '', rule: '', request: { target: 'api', method: 'GET' }, hops: [] });
