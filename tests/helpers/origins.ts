/** The loopback "CDN" origins started beside the test runner (tests/fakes/cdn-server-plugin.mjs). */
export const CDN_ORIGIN = `http://127.0.0.1:${Number(location.port) + 1}`;
export const MIRROR_ORIGIN = `http://127.0.0.1:${Number(location.port) + 2}`;
