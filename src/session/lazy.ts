// The lazy chunk's entry: everything the element needs only once it is activated or preloaded.
export { createSession } from './create-session.js';
export { renderPanel } from '../ui/panel.js';
export { panelStyles } from '../ui/panel.styles.js';
export { consentGiven, rememberConsent } from './consent-store.js';
