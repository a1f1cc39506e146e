// `<voice-assistant>` in Svelte 5 markup (checked by svelte-check): typed attributes and
// `onvoice-*` handlers with typed events. Use: `import type {} from 'voice-assistant/svelte';`.
import type { HTMLAttributes } from 'svelte/elements';
import type { VoiceAssistant } from '../voice-assistant.js';
import type { LowerEventHandlers, VoiceAssistantAttributes } from '../element/element-types.js';

export type VoiceAssistantSvelteProps = HTMLAttributes<VoiceAssistant> & VoiceAssistantAttributes & LowerEventHandlers;

declare module 'svelte/elements' {
  export interface SvelteHTMLElements {
    'voice-assistant': VoiceAssistantSvelteProps;
  }
}
