/** The fault-injecting Remote API beside the test runner (tests/fakes/fault-server-plugin.mjs). */
export const FAULT_ORIGIN = `http://127.0.0.1:${Number(location.port) + 5}`;

/** An `endpoint` attribute value for a fault ('ok' for normal answers) and a test's own tag. */
export const faultEndpoint = (fault: string, tag: string) => `${FAULT_ORIGIN}/t/${tag}/fault/${fault}/v1`;
export const switchEndpoint = (name: string) => `${FAULT_ORIGIN}/switch/${name}/v1`;

export const setSwitch = (name: string, kind: string) =>
  fetch(`${FAULT_ORIGIN}/__switch?name=${name}&kind=${encodeURIComponent(kind)}`, { method: 'POST' }).then((r) => r.json());

/** Requests the server saw whose path contains `part` (preflights are not counted). */
export async function faultCount(part = ''): Promise<number> {
  const { routes } = (await (await fetch(`${FAULT_ORIGIN}/__count`)).json()) as { routes: Record<string, number> };
  return Object.entries(routes).reduce((n, [path, c]) => (path.includes(part) ? n + c : n), 0);
}

export const resetFaults = () => fetch(`${FAULT_ORIGIN}/__reset`, { method: 'POST' });
