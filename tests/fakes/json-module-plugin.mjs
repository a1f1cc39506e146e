// Serves the JSON Schemas that src/ imports (`import schema from './x.schema.json'`, bundled as
// an object by Vite) as JavaScript modules, as Vite's JSON plugin makes them. Only *.schema.json:
// other JSON files (custom-elements.json, fixtures) are fetched by tests as JSON.
export function jsonModulePlugin() {
  return {
    name: 'json-schema-modules',
    resolveMimeType(context) {
      if (context.path.endsWith('.schema.json')) return 'js';
    },
    transform(context) {
      if (context.path.endsWith('.schema.json')) return { body: `export default ${context.body};` };
    },
  };
}
