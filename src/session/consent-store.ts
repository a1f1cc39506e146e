/**
 * The visitor's answer to the `consent` text, remembered per origin (localStorage) so a later
 * visit does not ask again; a changed text asks again, and `revokeConsent()` forgets it.
 * Storage that is blocked remembers nothing: the prompt shows each time.
 */
const KEY = 'voice-assistant-consent';

export function consentGiven(text: string): boolean {
  try {
    return localStorage.getItem(KEY) === text;
  } catch {
    return false;
  }
}

/** Remembers that `text` was accepted, or forgets any consent (undefined). */
export function rememberConsent(text: string | undefined): void {
  try {
    if (text === undefined) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, text);
  } catch {
    // storage blocked: nothing remembered
  }
}
