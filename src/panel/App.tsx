// The panel's root component. A placeholder until the capture layer exists; it already takes tabId as a prop.
export interface AppProps {
  /** The inspected tab, or null when the panel could not tell (bad `?tabId=`, no DevTools). */
  tabId: number | null;
}

export function App({ tabId }: AppProps) {
  return (
    <main data-testid="corsight-panel">
      <h1>Corsight</h1>
      <p data-testid="panel-status">Corsight: capture arrives with the extension issue.</p>
      <p data-testid="panel-tab">{tabId === null ? 'No inspected tab.' : `Inspected tab: ${tabId}`}</p>
    </main>
  );
}
