// `<voice-assistant>` in Vue 3 templates (checked by vue-tsc): typed attributes and
// `@voice-*` listeners with typed events. Use: `import type {} from 'voice-assistant/vue';`,
// and tell the compiler it is a custom element (`compilerOptions.isCustomElement`).
import type { DefineComponent } from 'vue';
import type { VoiceAssistantCamelProps, VueEventHandlers } from '../element/element-types.js';

export type VoiceAssistantVueProps = VoiceAssistantCamelProps & VueEventHandlers;

declare module 'vue' {
  interface GlobalComponents {
    'voice-assistant': DefineComponent<VoiceAssistantVueProps>;
  }
}
