// custom-elements.json is generated from the class JSDoc of src/voice-assistant.ts; never edit it by hand.
// Events are documented with @event tags on the class; the analyzer also notices
// `dispatchEvent(new SomeEvent(...))` calls, which carry no name: those entries are dropped.
export default {
  globs: ['src/voice-assistant.ts'],
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [
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
