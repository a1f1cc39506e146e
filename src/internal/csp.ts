import { VoiceAssistantError } from '../errors.js';

/**
 * Strict Content-Security-Policy and Trusted Types support (README "Content-Security-Policy").
 * The widget turns a URL into a script only to start its own workers; under
 * `require-trusted-types-for 'script'` it does so through one named policy, which the page
 * allows with `trusted-types voice-assistant` (lit's own policy is `lit-html`).
 */
export const TRUSTED_TYPES_POLICY = 'voice-assistant';

interface ScriptUrlPolicy {
  createScriptURL(url: string): unknown;
}
let policy: ScriptUrlPolicy | null | undefined;

/**
 * `url` as a worker's script URL: a TrustedScriptURL where Trusted Types exist (only blob: URLs
 * and .js/.mjs files pass), else the string. A page whose policy does not allow the name gets
 * the plain string, and the sink then reports the violation (see `blockedByCsp`).
 */
export function workerScriptUrl(url: string): string {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(u: string): string }): ScriptUrlPolicy } }).trustedTypes;
    try {
      policy = tt?.createPolicy(TRUSTED_TYPES_POLICY, {
        createScriptURL: (u) => {
          if (/^blob:/.test(u) || /\.m?js(\?|#|$)/.test(new URL(u).pathname)) return u;
          throw new TypeError(`${TRUSTED_TYPES_POLICY}: ${u} is not a worker script`);
        },
      }) ?? null;
    } catch {
      policy = null;
    }
  }
  return (policy ? policy.createScriptURL(url) : url) as string;
}

const DIRECTIVES = /^(worker-src|script-src|script-src-elem|child-src|default-src|trusted-types|require-trusted-types-for)$/;
const recent: { directive: string; at: number }[] = [];
let watching = false;

/** Starts noting the page's CSP violations (once), so a failed start can say which directive. */
export function watchViolations(): void {
  if (watching || typeof document === 'undefined') return;
  watching = true;
  document.addEventListener('securitypolicyviolation', (e) => {
    if (!DIRECTIVES.test(e.effectiveDirective)) return;
    recent.push({ directive: e.effectiveDirective, at: performance.now() });
    if (recent.length > 10) recent.shift();
  });
}

const CSP_MESSAGE = /Content.Security.Policy|Refused to (compile|create|load|execute)|TrustedScriptURL|Trusted Type|wasm-unsafe-eval/i;

/**
 * `error` as a `blocked-by-csp` error naming the directive, when the page's policy caused it:
 * its message says so (a wasm compile refused in a worker, a Trusted Types sink) or the page
 * reported a violation of a script or worker directive in the last few seconds. Else undefined.
 */
export function blockedByCsp(error: unknown, what: string): VoiceAssistantError | undefined {
  // What the user or the device decided (a denied microphone, a stop) is never the policy.
  if (error instanceof VoiceAssistantError && !['asset-load', 'unsupported', 'engine-failed'].includes(error.code)) return undefined;
  const message = error instanceof Error ? error.message : String(error ?? '');
  const violation = recent.findLast((v) => performance.now() - v.at < 5000);
  if (!violation && !CSP_MESSAGE.test(message)) return undefined;
  const directive =
    violation?.directive ??
    (/wasm|compile/i.test(message) ? "script-src 'wasm-unsafe-eval'" : /Trusted/i.test(message) ? 'trusted-types' : 'worker-src');
  return new VoiceAssistantError(
    'blocked-by-csp',
    `The page's Content-Security-Policy blocked the ${what} (${directive}); allow it as the README's "Content-Security-Policy" section shows.`,
    false,
    { cause: error },
  );
}
