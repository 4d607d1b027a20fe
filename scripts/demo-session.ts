// The demo gallery open in Chromium with Corsight loaded: what npm start, the screenshot script and the e2e tests
// all begin with.
import type { Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../demo/server.ts';
import { extensionReady, launchChromium, tabIdOf, type LaunchedChromium, type LaunchOptions } from './chromium.ts';

export interface DemoSessionOptions extends LaunchOptions {
  /** Demo page port (see startDemo); 0, the default here, picks free ports. */
  port?: number;
}

export interface DemoSession {
  demo: RunningDemo;
  launched: LaunchedChromium;
  /** The tab showing the demo page. */
  page: Page;
  /** Its extension tab id (what the panel takes as `?tabId=`). */
  tabId: number;
  /** Closes the browser (removing its profile) and the demo servers. */
  close(): Promise<void>;
}

export async function openDemoSession(options: DemoSessionOptions): Promise<DemoSession> {
  const demo = await startDemo({ port: options.port ?? 0 });
  let launched: LaunchedChromium | null = null;
  try {
    launched = await launchChromium(options);
    // The page must load after the listeners are live, or its requests would be missed.
    await extensionReady(launched.worker);
    const page = launched.context.pages()[0] ?? (await launched.context.newPage());
    await page.goto(`${demo.pageOrigin}/`);
    const tabId = await tabIdOf(launched, page);
    const browser = launched;
    return {
      demo,
      launched: browser,
      page,
      tabId,
      close: async () => {
        await browser.close();
        await demo.close();
      },
    };
  } catch (err) {
    await launched?.close();
    await demo.close();
    throw err;
  }
}
