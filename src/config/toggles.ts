/** One feature toggle of the remote configuration document (its JSON Schema: remote-config.schema.json). */
export interface Toggle {
  /** Percent of installs that get it (0..100); default 100. */
  readonly rollout?: number;
  /** Only elements whose `groups` attribute names one of these. */
  readonly groups?: readonly string[];
  /** Variant name -> weight; those in the rollout get one, by weight. */
  readonly variants?: Readonly<Record<string, number>>;
}

/** What each toggle came to for this install: `on`, `off` or a variant's name. */
export type Assignments = Record<string, string>;

/** Two uniform numbers in [0, 1) from SHA-256 of the install id and the toggle name: sticky per install, independent per toggle. */
async function buckets(installId: string, toggle: string): Promise<[number, number]> {
  const digest = new DataView(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${installId}\u0000${toggle}`)));
  return [digest.getUint32(0) / 2 ** 32, digest.getUint32(4) / 2 ** 32];
}

/** Picks the variant whose share of the total weight holds `u`. */
function pick(variants: Readonly<Record<string, number>>, u: number): string {
  const entries = Object.entries(variants);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let edge = 0;
  for (const [name, weight] of entries) {
    edge += weight / total;
    if (u < edge) return name;
  }
  return entries[entries.length - 1]![0];
}

/**
 * Assigns every toggle for one install: outside its `groups` it is `off`; inside, it is on for
 * `rollout` percent of install ids (uniform, since SHA-256 spreads ids evenly), and an install
 * that is on gets a variant by weight. The same id always gets the same assignment.
 */
export async function assign(toggles: Readonly<Record<string, Toggle>>, installId: string, groups: readonly string[]): Promise<Assignments> {
  const out: Assignments = {};
  for (const [name, t] of Object.entries(toggles)) {
    const [inRollout, variant] = await buckets(installId, name);
    const allowed = !t.groups?.length || t.groups.some((g) => groups.includes(g));
    const on = allowed && inRollout * 100 < (t.rollout ?? 100);
    out[name] = !on ? 'off' : t.variants ? pick(t.variants, variant) : 'on';
  }
  return out;
}

/** The developer override key: a `voice-flags` query parameter or localStorage entry, `barge-in=off,tts-voice=slt`. */
export const OVERRIDE_KEY = 'voice-flags';

/** Parses `name=value,name=value` (also `;`-separated); anything else in it is ignored. */
export function parseOverrides(raw: string | null | undefined): Assignments {
  const out: Assignments = {};
  for (const part of (raw ?? '').split(/[,;]/)) {
    const m = part.trim().match(/^([a-z][a-z0-9-]*)=(\S+)$/);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
