// Starts the loopback "CDN" origins beside the test runner's own server.
//   http://127.0.0.1:<port+1>  serves dist/  (the CDN a site would load us from)
//   http://127.0.0.1:<port+2>  serves dist/  (a second origin, for asset-base)
import { join } from 'node:path';
import { startCdnServer } from './cdn-server.mjs';

export function cdnServerPlugin({ root, port }) {
  const servers = [];
  return {
    name: 'cdn-server',
    async serverStart() {
      const dir = join(root, 'dist');
      servers.push((await startCdnServer({ dir, port: port + 1 })).server);
      servers.push((await startCdnServer({ dir, port: port + 2 })).server);
    },
    async serverStop() {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
