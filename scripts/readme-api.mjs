// Writes the README's reference tables (attributes, properties, methods, events, CSS parts,
// custom properties and states) from custom-elements.json, between `<!-- api:NAME -->` and
// `<!-- /api:NAME -->` markers, so they never drift from the element's JSDoc.
// Usage: npm run manifest && node scripts/readme-api.mjs        (rewrite README.md)
//        node scripts/readme-api.mjs --check                    (exit 1 if README.md is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cell = (s) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
const code = (s) => (s ? `\`${cell(s)}\`` : '');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** The `<voice-assistant>` declaration of a manifest. */
export function declaration(manifest) {
  const d = manifest.modules.flatMap((m) => m.declarations ?? []).find((x) => x.tagName === 'voice-assistant');
  if (!d) throw new Error('custom-elements.json declares no voice-assistant');
  return d;
}

/** Each generated section's markdown, by marker name. */
export function sections(manifest) {
  const d = declaration(manifest);
  const publicMember = (m) => !m.privacy && !m.name.startsWith('_');
  const attributes = d.attributes ?? [];
  const byField = new Set(attributes.map((a) => a.fieldName));
  const methods = (d.members ?? []).filter((m) => m.kind === 'method' && publicMember(m));
  const properties = (d.members ?? []).filter((m) => m.kind === 'field' && publicMember(m) && !byField.has(m.name));
  const signature = (m) => `${m.static ? `${d.name}.` : ''}${m.name}(${(m.parameters ?? []).map((p) => `${p.name}: ${p.type?.text ?? 'unknown'}`).join(', ')})`;
  return {
    attributes: table(
      ['attribute', 'property', 'type', 'default', 'description'],
      attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), cell(a.description)]),
    ),
    properties: table(
      ['property', 'type', 'description'],
      properties.map((p) => [code(p.name) + (p.readonly ? ' (read-only)' : ''), code(p.type?.text), cell(p.description)]),
    ),
    methods: table(
      ['method', 'returns', 'description'],
      methods.map((m) => [code(signature(m)), code(m.return?.type?.text ?? 'void'), cell(m.description)]),
    ),
    events: table(
      ['event', 'detail', 'description'],
      (d.events ?? []).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]),
    ),
    parts: table(['part', 'description'], (d.cssParts ?? []).map((p) => [code(p.name), cell(p.description)])),
    'css-properties': table(
      ['custom property', 'default', 'description'],
      (d.cssProperties ?? []).map((p) => [code(p.name), code(p.default), cell(p.description)]),
    ),
    states: table(['custom state', 'description'], (d.cssStates ?? []).map((s) => [code(`:state(${s.name})`), cell(s.description)])),
  };
}

/** `readme` with every marked section replaced; throws if a marker pair is missing. */
export function updateReadme(readme, manifest) {
  let out = readme;
  for (const [name, body] of Object.entries(sections(manifest))) {
    const re = new RegExp(`(<!-- api:${name} -->)[\\s\\S]*?(<!-- /api:${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- api:${name} --> ... <!-- /api:${name} --> markers`);
    out = out.replace(re, (_, open, close) => `${open}\n${body}\n${close}`);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const readme = readFileSync('README.md', 'utf8');
  const fresh = updateReadme(readme, manifest);
  if (process.argv.includes('--check')) {
    if (fresh !== readme) {
      console.error('README.md reference tables are stale: run `npm run manifest && node scripts/readme-api.mjs`');
      process.exit(1);
    }
    console.log('README.md reference tables are fresh');
  } else {
    writeFileSync('README.md', fresh);
    console.log('README.md reference tables written from custom-elements.json');
  }
}
