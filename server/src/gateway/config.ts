// Where each capability (speech recognition, speech, chat) goes: its own upstream, the shared one, or
// none (the offline engines answer). Read from the environment by main.ts; documented in the README
// ("Connect your provider") and DESIGN.md section 4.
export type Capability = 'stt' | 'tts' | 'chat';
export const CAPABILITIES: readonly Capability[] = ['stt', 'tts', 'chat'];

export interface UpstreamConfig {
  /** The provider's OpenAI-compatible base, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  /** Sent upstream as "Authorization: Bearer <key>"; optional (Ollama, a local vLLM need none). */
  apiKey?: string;
  /** Model the server uses for this capability (replaces the page's); absent: the page's is passed on. */
  model?: string;
  /** TTS only: the voice (replaces the page's). */
  voice?: string;
  /** Time allowed until the upstream's response head arrives. Default 60 s. */
  timeoutMs?: number;
}

/** `realtime`: the provider's realtime WebSocket (transport `realtime` is relayed to it). */
export type Upstreams = Partial<Record<Capability | 'realtime', UpstreamConfig>>;

/**
 * Per capability X (STT, TTS, CHAT): UPSTREAM_X_URL, UPSTREAM_X_KEY, UPSTREAM_X_MODEL (and
 * UPSTREAM_TTS_VOICE). The shared UPSTREAM_URL (alias UPSTREAM_BASE_URL) and UPSTREAM_KEY (alias
 * UPSTREAM_API_KEY) apply to every capability without its own URL; the shared key is never sent to a
 * capability's own URL. UPSTREAM_MODEL is the chat model (as before the gateway): one model name
 * cannot serve recognition, speech and chat.
 */
export function upstreamsFromEnv(env: Record<string, string | undefined>): { upstreams: Upstreams; warnings: string[] } {
  const get = (...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => v) || undefined;
  const sharedUrl = get('UPSTREAM_URL', 'UPSTREAM_BASE_URL');
  const sharedKey = get('UPSTREAM_KEY', 'UPSTREAM_API_KEY');
  const upstreams: Upstreams = {};
  const warnings: string[] = [];
  if (sharedKey && !sharedUrl) warnings.push('UPSTREAM_KEY is set without UPSTREAM_URL: it is not used.');
  for (const cap of CAPABILITIES) {
    const p = `UPSTREAM_${cap.toUpperCase()}_`;
    const ownUrl = get(`${p}URL`);
    const baseUrl = ownUrl ?? sharedUrl;
    if (!baseUrl) {
      if (get(`${p}KEY`)) warnings.push(`${p}KEY is set without ${p}URL or UPSTREAM_URL: it is not used.`);
      continue;
    }
    try {
      new URL(baseUrl);
    } catch {
      warnings.push(`${ownUrl ? `${p}URL` : 'UPSTREAM_URL'} "${baseUrl}" is not a URL; ${cap} stays offline.`);
      continue;
    }
    const apiKey = get(`${p}KEY`) ?? (ownUrl ? undefined : sharedKey);
    const model = get(`${p}MODEL`) ?? (cap === 'chat' ? get('UPSTREAM_MODEL') : undefined);
    const voice = cap === 'tts' ? get('UPSTREAM_TTS_VOICE') : undefined;
    upstreams[cap] = { baseUrl, ...(apiKey ? { apiKey } : {}), ...(model ? { model } : {}), ...(voice ? { voice } : {}) };
  }
  // Realtime: its own URL (a ws(s):// realtime endpoint); its own key, or the shared one when it
  // is the same provider (host) as UPSTREAM_URL.
  const realtimeUrl = get('UPSTREAM_REALTIME_URL');
  if (realtimeUrl) {
    let host: string | undefined;
    try {
      host = new URL(realtimeUrl).host;
    } catch {
      warnings.push(`UPSTREAM_REALTIME_URL "${realtimeUrl}" is not a URL; realtime stays offline.`);
    }
    if (host !== undefined) {
      const sameProvider = !!sharedUrl && URL.canParse(sharedUrl) && new URL(sharedUrl).host === host;
      const apiKey = get('UPSTREAM_REALTIME_KEY') ?? (sameProvider ? sharedKey : undefined);
      const model = get('UPSTREAM_REALTIME_MODEL');
      upstreams.realtime = { baseUrl: realtimeUrl, ...(apiKey ? { apiKey } : {}), ...(model ? { model } : {}) };
    }
  } else if (get('UPSTREAM_REALTIME_KEY')) warnings.push('UPSTREAM_REALTIME_KEY is set without UPSTREAM_REALTIME_URL: it is not used.');
  return { upstreams, warnings };
}
