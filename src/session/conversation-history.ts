import type { ChatMessage } from '../engines/chat/chat-engine.js';

/**
 * Question and answer pairs, oldest first, at most `max` messages (whole pairs are dropped).
 * An array, so it is handed to the chat engine as it is; `onChange` is told of every change
 * (with `persist="history"` the session writes it to IndexedDB).
 */
export class ConversationHistory extends Array<ChatMessage> {
  static override get [Symbol.species]() {
    return Array;
  }

  onChange?: (messages: readonly ChatMessage[]) => void;

  constructor(private readonly max: number) {
    super();
  }

  add(user: string, assistant: string): void {
    this.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
    const extra = this.length - this.max;
    if (extra > 0) this.splice(0, extra + (extra % 2));
    this.onChange?.([...this]);
  }

  clear(): void {
    this.length = 0;
    this.onChange?.([]);
  }

  /** Puts back what an earlier page kept (without telling `onChange`: it is already stored). */
  restore(messages: readonly ChatMessage[]): void {
    this.push(...messages.filter((m) => m.role !== 'system').slice(-this.max));
  }
}
