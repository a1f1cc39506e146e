import { en, type Messages } from './en.js';

/** Catalogs other than English load on demand, each its own small chunk. */
const LOADERS: Record<string, () => Promise<{ messages: Messages }>> = {
  es: () => import('./es.js'),
  de: () => import('./de.js'),
  ar: () => import('./ar.js'),
  ja: () => import('./ja.js'),
};

/** Languages written right to left (of those with a catalog). */
const RTL = new Set(['ar']);

const loaded = new Map<string, Messages>([['en', en]]);
const pending = new Map<string, Promise<unknown>>();

/** `de-AT` -> `de`; a language without a catalog -> `en`. */
export const catalogLanguage = (tag: string) => {
  const primary = tag.toLowerCase().split('-')[0]!;
  return primary in LOADERS ? primary : 'en';
};

export const isRtl = (tag: string) => RTL.has(catalogLanguage(tag));

/**
 * The messages for `tag` if they are here; otherwise English for now, and `ready` is called
 * once they have loaded (the element renders again).
 */
export function messagesFor(tag: string, ready: () => void): Messages {
  const lang = catalogLanguage(tag);
  const have = loaded.get(lang);
  if (have) return have;
  if (!pending.has(lang)) {
    pending.set(
      lang,
      LOADERS[lang]!().then(
        (m) => loaded.set(lang, m.messages),
        // A chunk that failed to load: English from now on, said once, never a render loop.
        (e: unknown) => {
          loaded.set(lang, en);
          console.warn(`<voice-assistant>: the ${lang} messages did not load (${String(e)}); using English.`);
        },
      ),
    );
  }
  void pending.get(lang)!.then(ready);
  return en;
}

export { en, type Messages };
