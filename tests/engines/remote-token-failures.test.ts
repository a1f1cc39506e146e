import { expect } from '@esm-bundle/chai';
import { TokenClient } from '../../src/engines/remote/token-client.js';
import { RemoteStt } from '../../src/engines/stt/remote-stt.js';
import { RemoteTts } from '../../src/engines/tts/remote-tts.js';
import { base, context, failureOf, never, origin, sent, tokenUrl, utterance } from './providers/providers.js';

/**
 * A failing token URL costs one token request per engine call (it used to be 9 for a 500: the
 * token client's 3 tries inside the API's 3), its Retry-After is honoured, and a token URL on
 * another origin is asked with the user's cookies.
 */
describe('remote engines when the token URL fails', () => {
  const run = Date.now();
  const tokenRequests = async (tag: string) => (await sent('openai', tag)).filter((l) => l.route === '/token');

  it('a 500 from the token URL: one token request per engine call, nothing sent to the API', async () => {
    const tag = `tok500-${run}`;
    const ctx = context({ endpoint: base('openai', tag), 'token-url': tokenUrl('openai', tag, 'fail-500'), 'tts-model': 'tts-1', voice: 'alloy' });
    const tts = new RemoteTts(ctx);
    const e = await failureOf(tts.synthesize({ text: 'x', language: 'en-US', signal: never() }));
    expect(e?.code).to.equal('engine-failed');
    expect(e?.message).to.equal('The token URL answered HTTP 500.');
    expect((await tokenRequests(tag)).length).to.equal(1);
    await failureOf(tts.synthesize({ text: 'y', language: 'en-US', signal: never() }));
    expect((await tokenRequests(tag)).length).to.equal(2);
    expect((await sent('openai', tag)).filter((l) => l.route !== '/token')).to.deep.equal([]);
  });

  it('a 429 with Retry-After: rate-limited with the wait, and no token request until it is over', async () => {
    const tag = `tok429-${run}`;
    const stt = new RemoteStt(context({ endpoint: base('openai', tag), 'token-url': tokenUrl('openai', tag, 'token429-30') }));
    const request = { audio: utterance(), sampleRate: 16000 as const, language: 'en', signal: never() };
    const first = await failureOf(stt.transcribe(request));
    expect(first?.code).to.equal('rate-limited');
    expect(first?.retryAfterMs).to.equal(30_000);
    const second = await failureOf(stt.transcribe(request));
    expect(second?.code).to.equal('rate-limited');
    expect(second?.retryAfterMs).to.be.within(29_000, 30_000);
    expect(second?.message).to.match(/try again in (29|30) s/);
    expect((await tokenRequests(tag)).length).to.equal(1);
  });

  it('a cross-origin token URL is fetched with the user\'s cookies (credentials: include)', async () => {
    const tag = `cookie-${run}`;
    // The site's auth service (same site, another origin) set its session cookie earlier.
    await fetch(`${origin('openai')}/login`, { credentials: 'include' });
    const tokens = new TokenClient(tokenUrl('openai', tag));
    expect(await tokens.get()).to.match(/^tok-\d+$/);
    const [call] = await tokenRequests(tag);
    expect(call!.cookie).to.equal('fake_session=s3cret');
  });

  it('a same-origin token URL keeps credentials: same-origin; a cross-origin one uses include', async () => {
    const seen: (RequestCredentials | undefined)[] = [];
    const fetchStub = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init?.credentials);
      return new Response(JSON.stringify({ token: 't', expires_in: 60 }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    await new TokenClient('/token', { fetch: fetchStub }).get();
    await new TokenClient(`${location.origin}/token`, { fetch: fetchStub }).get();
    await new TokenClient(tokenUrl('openai', 'stub'), { fetch: fetchStub }).get();
    expect(seen).to.deep.equal(['same-origin', 'same-origin', 'include']);
  });

  it('a token URL that allows the page but not cookies: asked once more without them, then only so', async () => {
    const tag = `nocred-${run}`;
    const url = tokenUrl('speaches', tag, 'no-credentials');
    await fetch(`${origin('openai')}/login`, { credentials: 'include' });
    expect(await new TokenClient(url).get()).to.match(/^tok-\d+$/);
    expect(await new TokenClient(url).get()).to.match(/^tok-\d+$/);
    const calls = (await sent('speaches', tag)).filter((l) => l.route === '/token');
    // The first request (with the cookie, which is the host's, whatever the port) reached the
    // server, but CORS withheld its answer; then one without, and the second client asks without.
    expect(calls.map((c) => c.cookie)).to.deep.equal(['fake_session=s3cret', '', '']);
  });
});
