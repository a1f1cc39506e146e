/**
 * One AudioContext per page, shared by every `<voice-assistant>` and by capture and playback
 * alike (DESIGN.md section 2): browsers limit how many contexts a page may hold, and each
 * costs an audio thread. Reference-counted: the last `releaseAudioContext()` closes it, so
 * mount/unmount cycles leave no context behind (vad-web issue #245).
 *
 * A context created without a user gesture starts `suspended` (autoplay policy), and Safari
 * may `interrupt` one (a call, another app): every state change and the next user gesture
 * try to resume it while anyone holds it, so it is never left dead.
 */
let shared: AudioContext | undefined;
let users = 0;

/** The page's AudioContext, created on first use; pair every call with `releaseAudioContext()`. */
export function acquireAudioContext(): AudioContext {
  if (!shared || shared.state === 'closed') {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    ctx.addEventListener('statechange', () => {
      if (ctx === shared) void resumeAudioContext();
    });
    shared = ctx;
    users = 0;
    for (const type of GESTURES) addEventListener(type, onGesture, true);
  }
  users++;
  void resumeAudioContext();
  return shared;
}

/** Gives back one `acquireAudioContext()`; the context closes when nobody holds it any more. */
export function releaseAudioContext(): void {
  if (!shared || users === 0) return;
  users--;
  if (users === 0) {
    const ctx = shared;
    shared = undefined;
    for (const type of GESTURES) removeEventListener(type, onGesture, true);
    void ctx.close().catch(() => {});
  }
}

/** Resumes the shared context if it is suspended or interrupted; best called from a user gesture. */
export async function resumeAudioContext(): Promise<void> {
  const ctx = shared;
  if (!ctx || users === 0 || ctx.state === 'running' || ctx.state === 'closed') return;
  await ctx.resume().catch(() => {});
}

/** How many holders the shared context has (tests assert nothing leaked). */
export function audioContextUsers(): number {
  return users;
}

const GESTURES = ['pointerdown', 'keydown'] as const;
const onGesture = () => void resumeAudioContext();
