import { expect } from '@esm-bundle/chai';
import { parseRetryAfter, retryAfterMsOf, retryAfterOf } from '../../src/resilience/retry-after.js';

describe('Retry-After', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:27:00 GMT');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter(' 0 ', now)).to.equal(0);
    expect(parseRetryAfter('1.5', now)).to.equal(1_500);
  });

  it('reads an HTTP-date in all three RFC 9110 forms, relative to now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).to.equal(60_000);
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:30 GMT', now)).to.equal(90_000);
    expect(parseRetryAfter('Wed Oct 21 07:29:00 2015', now - new Date(now).getTimezoneOffset() * 60_000)).to.be.a('number');
  });

  it('treats a date in the past as now and caps absurd waits at a day', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('99999999', now)).to.equal(86_400_000);
  });

  it('returns undefined for what it cannot read', () => {
    for (const bad of [null, undefined, '', '-1', 'soon', '12abc', '1e3', '<script>']) {
      expect(parseRetryAfter(bad as string, now), String(bad)).to.equal(undefined);
    }
  });

  it('reads it from a Response and from an error', () => {
    expect(retryAfterOf(new Response('', { status: 429, headers: { 'retry-after': '3' } }))).to.equal(3_000);
    expect(retryAfterOf(new Response(''))).to.equal(undefined);
    expect(retryAfterMsOf({ retryAfterMs: 250 })).to.equal(250);
    expect(retryAfterMsOf(new Error('x'))).to.equal(undefined);
    expect(retryAfterMsOf(null)).to.equal(undefined);
  });
});
