// `<voice-assistant>` in React 19 JSX: typed attributes, the `responder` property, and
// `onvoice-*` handlers with typed events (React 19 adds a listener for the name after `on`).
// Use: `import type {} from 'voice-assistant/react';` once in the project.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { VoiceAssistant } from '../voice-assistant.js';
import type { LowerEventHandlers, VoiceAssistantAttributes } from '../element/element-types.js';

export type VoiceAssistantJsxProps = DetailedHTMLProps<HTMLAttributes<VoiceAssistant>, VoiceAssistant> & VoiceAssistantAttributes & LowerEventHandlers;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'voice-assistant': VoiceAssistantJsxProps;
    }
  }
}
