// The DEMO responder: answers chat without any language model, from a JSON knowledge file.
// It takes the last user message, counts how many of each entry's keywords it contains, and reads
// out the answer of the best entry (the first one on a tie); with no keyword at all it says it does
// not know (`fallback`). It is a stand-in so the demo works offline, not an assistant.
import { readFileSync } from 'node:fs';

export interface KnowledgeEntry {
  id: string;
  keywords: string[];
  answer: string;
}

export interface Knowledge {
  name?: string;
  fallback: string;
  entries: KnowledgeEntry[];
}

export const DEMO_MODEL = 'reference-demo-responder';

export function loadKnowledge(file: string): Knowledge {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Knowledge>;
  const problem = (what: string) => new Error(`Knowledge file ${file}: ${what}`);
  if (typeof data.fallback !== 'string' || !data.fallback.trim()) throw problem('"fallback" must be a non-empty string');
  if (!Array.isArray(data.entries)) throw problem('"entries" must be an array');
  data.entries.forEach((e, i) => {
    if (typeof e?.answer !== 'string' || !e.answer.trim()) throw problem(`entries[${i}].answer must be a non-empty string`);
    if (!Array.isArray(e.keywords) || !e.keywords.every((k) => typeof k === 'string')) {
      throw problem(`entries[${i}].keywords must be an array of strings`);
    }
  });
  return data as Knowledge;
}

/** Lower case, apostrophes dropped, a plural "s" stripped: "Hours" and "hour" are the same word. */
export function normalizeWord(word: string): string {
  let w = word.toLowerCase().replace(/['\u2019]/g, '');
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w;
}

export function words(text: string): string[] {
  return (text.match(/[\p{L}\p{N}'\u2019]+/gu) ?? []).map(normalizeWord).filter(Boolean);
}

export interface Match {
  entry: KnowledgeEntry | null;
  score: number;
}

export function bestMatch(knowledge: Knowledge, question: string): Match {
  const asked = new Set(words(question));
  let best: Match = { entry: null, score: 0 };
  for (const entry of knowledge.entries) {
    const keys = new Set(entry.keywords.flatMap(words));
    let score = 0;
    for (const k of keys) if (asked.has(k)) score++;
    if (score > best.score) best = { entry, score };
  }
  return best;
}

export function answer(knowledge: Knowledge, question: string): string {
  return bestMatch(knowledge, question).entry?.answer ?? knowledge.fallback;
}

export interface ChatMessage {
  role: string;
  content: unknown;
}

/** The text of a message: a string, or OpenAI content parts [{type: "text", text}]. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join(' ');
  }
  return '';
}

export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'user') return messageText(messages[i]!.content);
  }
  return '';
}

/** Splits an answer into word groups whose concatenation is exactly the answer. */
export function chunkWords(text: string, perChunk = 3): string[] {
  const tokens = text.match(/\s*\S+\s*/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += perChunk) out.push(tokens.slice(i, i + perChunk).join(''));
  return out;
}
