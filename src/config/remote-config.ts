import { ATTRIBUTES, type AttributeName } from './attributes.js';
import type { Assignments, Toggle } from './toggles.js';

export type Environment = 'development' | 'staging' | 'production';

/** The remote configuration document (`config-url`); its JSON Schema is remote-config.schema.json. */
export interface RemoteConfigDocument {
  readonly defaults?: Readonly<Record<string, string>>;
  readonly environments?: Readonly<Partial<Record<Environment, { attributes?: Readonly<Record<string, string>>; toggles?: Readonly<Record<string, Toggle>> }>>>;
  readonly hosts?: Readonly<Record<string, Environment>>;
  readonly toggles?: Readonly<Record<string, Toggle>>;
}

/** What the document contributes to the element's configuration, under the tag's own attributes. */
export interface RemoteLayer {
  /** Attribute defaults by attribute name, as strings written on a tag. */
  readonly attributes: Partial<Record<AttributeName, string>>;
  /** The `local-fallback` toggle: false drops `local` from the default engine chains. */
  readonly localFallback?: boolean;
  readonly assignments: Assignments;
  readonly environment: Environment;
}

/**
 * Toggles that set a setting other than the attribute of their own name. A toggle named after
 * a boolean attribute switches it (`barge-in`); one with variants sets the setting to the
 * variant (`tts-voice` -> `voice`).
 */
const TOGGLE_SETTING: Record<string, AttributeName> = { 'tts-voice': 'voice', 'stt-model': 'stt-model', 'chat-model': 'chat-model' };
const BOOLEAN_ATTRIBUTES = new Set<string>(['barge-in', 'debug']);

/** The environment in force: the attribute, else the first `hosts` pattern matching the hostname, else production. */
export function chooseEnvironment(doc: RemoteConfigDocument, attribute: Environment | undefined, hostname: string): Environment {
  if (attribute) return attribute;
  const host = hostname.toLowerCase();
  for (const [pattern, env] of Object.entries(doc.hosts ?? {})) {
    if (pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)))) return env;
  }
  return 'production';
}

/** The toggles in force in `env`: the document's, each replaced by the environment's own of that name. */
export const togglesIn = (doc: RemoteConfigDocument, env: Environment): Record<string, Toggle> => ({
  ...doc.toggles,
  ...doc.environments?.[env]?.toggles,
});

/**
 * Folds the document into attribute defaults: `defaults`, then the environment's attributes,
 * then what the toggles assigned. Names that are not attributes of the contract are left out
 * and returned in `unknown`, for the warning.
 */
export function layerOf(doc: RemoteConfigDocument, env: Environment, assignments: Assignments): RemoteLayer & { unknown: string[] } {
  const attributes: Record<string, string> = { ...doc.defaults, ...doc.environments?.[env]?.attributes };
  let localFallback: boolean | undefined;
  for (const [name, value] of Object.entries(assignments)) {
    if (name === 'local-fallback') localFallback = value !== 'off';
    else if (BOOLEAN_ATTRIBUTES.has(name) && (value === 'on' || value === 'off')) attributes[name] = value === 'on' ? 'true' : 'false';
    else if (value !== 'off' && value !== 'on') attributes[TOGGLE_SETTING[name] ?? name] = value;
  }
  const unknown = Object.keys(attributes).filter((n) => !(n in ATTRIBUTES) || n === 'config-url');
  for (const n of unknown) delete attributes[n];
  return { attributes: { ...attributes, environment: env }, localFallback, assignments, environment: env, unknown };
}
