// custom-elements.json is generated from the class JSDoc of src/voice-assistant.ts; never edit it by hand.
// The element declares its attributes as `static properties` built from the attribute table
// (src/config/attributes.ts) rather than one decorator each (that saves ~360 B gzip of the entry),
// so the analyzer sees typed, documented fields: `attributes-from-table` marks each field named
// after an attribute of the table as that attribute, as the decorator did. Internal state is declared
// the same way (`{ state: true }`, no decorators in the entry) and is no attribute.
import { readFileSync } from 'node:fs';

const TABLE = [...readFileSync('src/config/attributes.ts', 'utf8').matchAll(/^  '?([a-z-]+)'?: \{ parse:/gm)].map((m) => m[1]);
const fieldOf = (attr) => attr.replace(/-(\w)/g, (_, c) => c.toUpperCase());
// Events are documented with @event tags on the class; the analyzer also notices
// `dispatchEvent(new SomeEvent(...))` calls, which carry no name: those entries are dropped.
export default {
  globs: ['src/voice-assistant.ts'],
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [
    {
      name: 'attributes-from-table',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.tagName !== 'voice-assistant') continue;
            const fields = new Map((decl.members ?? []).filter((m) => m.kind === 'field' && !m.static).map((m) => [m.name, m]));
            const missing = TABLE.filter((a) => !fields.has(fieldOf(a)));
            if (missing.length) throw new Error(`attributes without a documented field on the element: ${missing.join(', ')}`);
            // Internal reactive state (`{ state: true }` in the same static properties) is no attribute.
            for (const f of fields.values()) if (f.attribute && !TABLE.includes(f.attribute)) delete f.attribute;
            decl.attributes = TABLE.map((name) => {
              const field = fields.get(fieldOf(name));
              Object.assign(field, { attribute: name, reflects: true });
              const { type, default: def, description } = field;
              return { name, ...(type && { type }), ...(def !== undefined && { default: def }), ...(description && { description }), fieldName: field.name };
            });
          }
        }
      },
    },
    {
      name: 'drop-unnamed-events',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name);
          }
        }
      },
    },
  ],
};
