// Starts the fault-injecting Remote API (fault-server.mjs) beside the test runner, on the
// runner's port + 5; tests derive it from location.port (tests/resilience/fault-origin.ts).
import { startFaultServer } from './fault-server.mjs';

export function faultServerPlugin({ port }) {
  let running;
  return {
    name: 'fault-server',
    async serverStart() {
      running = await startFaultServer({ port: port + 5 });
    },
    async serverStop() {
      await running?.close();
    },
  };
}
