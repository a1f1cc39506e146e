// svelte-check's configuration for the example (none needed; its presence stops it from reading the project's vite.config).
export default {};
