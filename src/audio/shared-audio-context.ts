/**
 * One AudioContext per page, shared by every `<voice-assistant>` and by capture and playback
 * alike (DESIGN.md section 2): browsers limit how many contexts a page may hold, and each
 * costs an audio thread. Reference-counted: the last `releaseAudioContext()` closes it, so
 * mount/unmount cycles leave no context behind.
 */
let shared: AudioContext | undefined;
let users = 0;

/** The page's AudioContext, created on first use; pair every call with `releaseAudioContext()`. */
export function acquireAudioContext(): AudioContext {
  if (!shared || shared.state === 'closed') {
    shared = new AudioContext({ latencyHint: 'interactive' });
    users = 0;
  }
  users++;
  return shared;
}

/** Gives back one `acquireAudioContext()`; the context closes when nobody holds it any more. */
export function releaseAudioContext(): void {
  if (!shared || users === 0) return;
  users--;
  if (users === 0) {
    const ctx = shared;
    shared = undefined;
    void ctx.close().catch(() => {});
  }
}

/** How many holders the shared context has (tests assert nothing leaked). */
export function audioContextUsers(): number {
  return users;
}
