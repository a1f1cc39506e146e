// The Content-Security-Policy headers the README documents (section "Content-Security-Policy"),
// as the CSP tests serve them. `{cdn}` is the origin the widget is loaded from.
export const CSP_POLICIES = {
  // (b) Everything self-hosted on the page's origin.
  self: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types voice-assistant lit-html",
  // (a) The entry and its assets on a CDN origin; the page on its own. Workers start as a
  // same-origin blob: module that imports the CDN's script, and a module worker's imports are
  // checked against worker-src too: both are needed.
  cdn: "default-src 'self'; script-src 'self' {cdn} 'wasm-unsafe-eval'; worker-src blob: {cdn}; connect-src 'self' {cdn}; style-src 'self'; require-trusted-types-for 'script'; trusted-types voice-assistant lit-html",
  // (a) without blob: workers: the widget must say which directive blocks it.
  'cdn-no-blob': "default-src 'self'; script-src 'self' {cdn} 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self' {cdn}; style-src 'self'; require-trusted-types-for 'script'; trusted-types voice-assistant lit-html",
};
