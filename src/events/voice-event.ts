/** Base of every widget event: bubbles out of the shadow root, carries a typed `detail`. */
export class VoiceEvent<T> extends CustomEvent<T> {
  constructor(type: string, detail: T, cancelable = false) {
    super(type, { detail, bubbles: true, composed: true, cancelable });
  }
}
