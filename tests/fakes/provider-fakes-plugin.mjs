// Starts the provider fakes (provider-fakes.mjs) beside the test runner, each on its own port
// so that a test can put each capability on a different origin (tests/engines/providers.ts):
//   port + 10  OpenAI                port + 13  speaches (faster-whisper server, Kokoro voices)
//   port + 11  vLLM serving Whisper  port + 14  Ollama
//   port + 12  vLLM serving a chat model
import { startProviderFake } from './provider-fakes.mjs';
import { ollama, openai, speaches, vllm } from './provider-rules.mjs';

export const PROVIDER_PORTS = { openai: 10, 'vllm-whisper': 11, 'vllm-chat': 12, speaches: 13, ollama: 14 };

export function providerFakesPlugin({ port }) {
  const rules = { openai, 'vllm-whisper': vllm('openai/whisper-large-v3'), 'vllm-chat': vllm('Qwen/Qwen3-0.6B'), speaches, ollama };
  let running = [];
  return {
    name: 'provider-fakes',
    async serverStart() {
      running = await Promise.all(Object.entries(PROVIDER_PORTS).map(([name, offset]) => startProviderFake(rules[name], { port: port + offset })));
    },
    async serverStop() {
      await Promise.all(running.map((r) => r.close()));
    },
  };
}
