// Starts the loopback "CDN" origins beside the test runner's own server.
//   http://127.0.0.1:8788  serves dist/  (the CDN a site would load us from)
//   http://127.0.0.1:8789  serves dist/  (a second origin, for asset-base)
import { join } from 'node:path';
import { startCdnServer } from './cdn-server.mjs';

export const CDN_PORT = 8788;
export const MIRROR_PORT = 8789;

export function cdnServerPlugin({ root }) {
  const servers = [];
  return {
    name: 'cdn-server',
    async serverStart() {
      const dir = join(root, 'dist');
      servers.push((await startCdnServer({ dir, port: CDN_PORT })).server);
      servers.push((await startCdnServer({ dir, port: MIRROR_PORT })).server);
    },
    async serverStop() {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
