// React 19: the tag with typed attributes and events (type-checked by `npm run typecheck`).
// The page loads the element once: import 'voice-assistant' (or the CDN script tag).
import type {} from 'voice-assistant/react';
import type { VoiceTranscriptDetail } from 'voice-assistant';
import { useState } from 'react';

export function VoiceDemo({ endpoint }: { endpoint: string }) {
  const [heard, setHeard] = useState<string[]>([]);
  const onTranscript = (e: CustomEvent<VoiceTranscriptDetail>) => setHeard((h) => [...h, e.detail.text]);
  return (
    <>
      <voice-assistant
        endpoint={endpoint}
        token-url="/token"
        mode="conversation"
        variant="inline"
        text-input="true"
        language="en-US"
        onvoice-transcript={onTranscript}
        onvoice-state={(e) => console.log(e.detail.state, 'after', e.detail.previous)}
        onvoice-error={(e) => e.detail.recoverable || console.error(e.detail.code, e.detail.message)}
      />
      {/* @ts-expect-error: not a mode the element accepts */}
      <voice-assistant mode="chat" />
      {/* @ts-expect-error: voice-response has no `code` */}
      <voice-assistant onvoice-response={(e) => e.detail.code} />
      <ul>{heard.map((t, i) => <li key={i}>{t}</li>)}</ul>
    </>
  );
}
