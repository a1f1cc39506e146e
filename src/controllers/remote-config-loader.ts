import { Validator, type OutputUnit } from '@cfworker/json-schema';
import { isValid } from '../config/converters.js';
import { loadDocument, saveDocument, installId } from '../internal/config-store.js';
import { chooseEnvironment, layerOf, togglesIn, type Environment, type RemoteConfigDocument, type RemoteLayer } from '../config/remote-config.js';
import { assign, OVERRIDE_KEY, parseOverrides } from '../config/toggles.js';
import type { AttributeName } from '../config/attributes.js';
import schema from '../config/remote-config.schema.json';
import { VoiceVariantEvent } from '../events/voice-variant-event.js';

/** What the loader needs of the element. */
export interface RemoteConfigHost extends EventTarget {
  getAttribute(name: string): string | null;
  readonly config: { readonly groups: readonly string[] };
  applyRemote(layer: RemoteLayer): void;
  /** One `console.warn` and one `voice-error` (`invalid-config`) per distinct message. */
  warnOnce(message: string): void;
  debugLog(...args: unknown[]): void;
}

const validator = new Validator(schema as object, '2020-12', false);
const FETCH_TIMEOUT_MS = 10_000;

/** Says what is wrong with a document in one line: the first few schema errors, by location. */
function describe(errors: readonly OutputUnit[]): string {
  const leaves = errors.filter((e) => !/^(properties|additionalProperties|\$ref|items)$/.test(e.keyword)).slice(0, 3);
  return (leaves.length ? leaves : errors.slice(0, 1)).map((e) => `${e.instanceLocation || '#'}: ${e.error}`).join('; ');
}

/** Parses and validates a document's text against remote-config.schema.json. */
function parseDocument(text: string): { doc: RemoteConfigDocument } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { problem: `is not JSON (${(e as Error).message})` };
  }
  const result = validator.validate(doc);
  return result.valid ? { doc: doc as RemoteConfigDocument } : { problem: `does not match the schema (${describe(result.errors)})` };
}

/** Developer overrides from the page URL's `voice-flags` parameter, then localStorage. */
function overrides(): Record<string, string> {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(OVERRIDE_KEY);
  } catch {
    // storage blocked: no overrides from it
  }
  return { ...parseOverrides(stored), ...parseOverrides(new URL(location.href).searchParams.get(OVERRIDE_KEY)) };
}

/**
 * `config-url`: fetches the document, validates it, keeps the last valid one in IndexedDB and
 * falls back to it when a fetch fails or a new document is invalid (one warning, never a broken
 * widget); refreshes with If-None-Match when the page becomes visible again and hands every
 * changed layer to the element, which applies it without a reload.
 */
export class RemoteConfig {
  private lastGood?: RemoteConfigDocument;
  private etag?: string;
  private applied = '';
  private announced?: string;
  private disposed = false;
  private refreshing?: Promise<void>;

  constructor(
    private readonly host: RemoteConfigHost,
    private readonly url: string,
  ) {}

  /** Resolves when a document (fetched, or kept from an earlier visit) is in force, or none can be. */
  async start(): Promise<void> {
    const kept = await loadDocument(this.url);
    if (kept && validator.validate(kept.doc).valid) {
      this.lastGood = kept.doc as RemoteConfigDocument;
      this.etag = kept.etag;
    }
    document.addEventListener('visibilitychange', this.onVisibility);
    await this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Fetches again (conditionally) and applies what changed; one refresh at a time. */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.fetchAndApply().finally(() => (this.refreshing = undefined)));
  }

  private onVisibility = () => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  private async fetchAndApply(): Promise<void> {
    const fallback = this.lastGood ? 'using the last valid document' : 'using the defaults';
    try {
      const headers: Record<string, string> = this.lastGood && this.etag ? { 'If-None-Match': this.etag } : {};
      const r = await fetch(this.url, { cache: 'no-store', headers, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (r.status === 304) this.host.debugLog('config-url unchanged (304)');
      else if (!r.ok) throw new Error(`HTTP ${r.status}`);
      else {
        const parsed = parseDocument(await r.text());
        if ('problem' in parsed) this.host.warnOnce(`<voice-assistant>: the config-url document ${this.url} ${parsed.problem}; ${fallback}.`);
        else {
          this.lastGood = parsed.doc;
          this.etag = r.headers.get('etag') ?? undefined;
          await saveDocument(this.url, { doc: parsed.doc, etag: this.etag, at: Date.now() });
        }
      }
    } catch (e) {
      if (this.lastGood) this.host.debugLog('config-url unreachable, using the kept document:', e);
      else this.host.warnOnce(`<voice-assistant>: could not load config-url ${this.url} (${(e as Error).message}); ${fallback}.`);
    }
    if (this.lastGood && !this.disposed) await this.apply(this.lastGood);
  }

  private async apply(doc: RemoteConfigDocument): Promise<void> {
    const attr = this.host.getAttribute('environment');
    const env = chooseEnvironment(doc, attr && isValid('environment', attr) ? (attr as Environment) : undefined, location.hostname);
    const assignments = await assign(togglesIn(doc, env), await installId(), this.host.config.groups);
    if (env !== 'production') Object.assign(assignments, overrides());
    const { unknown, ...layer } = layerOf(doc, env, assignments);
    for (const name of unknown) this.host.warnOnce(`<voice-assistant>: the config-url document sets "${name}", which is not an attribute; ignored.`);
    for (const [name, value] of Object.entries(layer.attributes) as [AttributeName, string][]) {
      if (isValid(name, value)) continue;
      this.host.warnOnce(`<voice-assistant>: the config-url document sets ${name}=${JSON.stringify(value)}, which is not valid; using the default.`);
      delete layer.attributes[name];
    }
    const key = JSON.stringify(layer);
    if (key === this.applied || this.disposed) return;
    this.applied = key;
    this.host.debugLog('config-url', env, layer);
    this.host.applyRemote(layer);
    const told = JSON.stringify(layer.assignments);
    if (told === this.announced) return;
    this.announced = told;
    this.host.dispatchEvent(new VoiceVariantEvent({ assignments: { ...layer.assignments } }));
  }
}
