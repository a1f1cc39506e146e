// The README's Content-Security-Policy section shows exactly the policies the browser tests
// serve (tests/fakes/csp-policies.mjs), so what a site copies is what was tested.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { CSP_POLICIES } from '../fakes/csp-policies.mjs';

const readme = readFileSync('README.md', 'utf8');

test('README shows the tested CSP policies', () => {
  assert.ok(readme.includes(`Content-Security-Policy: ${CSP_POLICIES.self}`), 'self-hosted policy');
  assert.ok(readme.includes(`Content-Security-Policy: ${CSP_POLICIES.cdn.replaceAll('{cdn}', 'https://cdn.example')}`), 'CDN policy');
});
