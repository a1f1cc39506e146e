import { expect } from '@esm-bundle/chai';
import { openDB, deleteDB } from 'idb';
import { Disposer } from '../../src/resilience/disposer.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A worker that echoes; "alive" when it answers within a moment. */
function echoWorker() {
  const url = URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data)'], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return worker;
}
const answers = (w: Worker) =>
  new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 300);
    w.onmessage = () => (clearTimeout(t), resolve(true));
    w.postMessage('ping');
  });
const fetchable = (url: string) => fetch(url).then(() => true, () => false);

describe('Disposer', () => {
  it('releases real resources: a mic track, a worker, an AudioContext and its nodes, an object URL, a window listener', async () => {
    const d = new Disposer('voice-assistant');
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const track = stream.getAudioTracks()[0]!;
    d.add('mic track', track);
    const worker = echoWorker();
    d.add('vad worker', worker);
    expect(await answers(worker)).to.equal(true);
    const ctx = new AudioContext();
    d.add('audio context', ctx);
    const source = ctx.createMediaStreamSource(stream);
    const gain = ctx.createGain();
    source.connect(gain).connect(ctx.destination);
    d.add('mic source', source);
    d.add('gain', gain);
    const url = URL.createObjectURL(new Blob(['RIFF']));
    d.add('reply audio', () => URL.revokeObjectURL(url));
    expect(await fetchable(url)).to.equal(true);
    let heard = 0;
    d.listen('pagehide listener', window, 'voice-test-ping', () => heard++);
    window.dispatchEvent(new Event('voice-test-ping'));
    const ac = new AbortController();
    d.add('fetch', ac);
    const bc = new BroadcastChannel('va-test');
    d.add('channel', bc);
    const dbName = `va-disposer-${Date.now()}`;
    const db = await openDB(dbName, 1, { upgrade: (x) => void x.createObjectStore('s') });
    d.add('history db', db);
    const { port1 } = new MessageChannel();
    d.add('port', port1);
    let timerFired = false;
    const idle = setTimeout(() => (timerFired = true), 50_000);
    d.add('idle timer', () => clearTimeout(idle));
    const meter = setInterval(() => {}, 1000);
    d.add('meter', () => clearInterval(meter));

    expect(d.held()).to.deep.equal([
      'mic track', 'vad worker', 'audio context', 'mic source', 'gain', 'reply audio', 'pagehide listener',
      'fetch', 'channel', 'history db', 'port', 'idle timer', 'meter',
    ]);
    expect(track.readyState).to.equal('live');

    const errors = await d.dispose();
    expect(errors).to.deep.equal([]);
    expect(d.held()).to.deep.equal([]);
    expect(track.readyState).to.equal('ended');
    expect(ctx.state).to.equal('closed');
    expect(await answers(worker)).to.equal(false);
    expect(await fetchable(url)).to.equal(false);
    window.dispatchEvent(new Event('voice-test-ping'));
    expect(heard).to.equal(1);
    expect(ac.signal.aborted).to.equal(true);
    expect(() => bc.postMessage('x')).to.throw();
    expect(() => db.transaction('s')).to.throw();
    expect(timerFired).to.equal(false);
    stream.getTracks().forEach((t) => t.stop());
    await deleteDB(dbName);
  });

  it('releases newest first, once, and never throws: errors are collected', async () => {
    const order: string[] = [];
    const d = new Disposer('x');
    d.add('a', () => order.push('a'));
    d.add('bad', () => {
      throw new Error('boom');
    });
    d.add('async bad', () => Promise.reject(new Error('later boom')));
    d.add('c', () => order.push('c'));
    const first = d.dispose();
    expect(d.dispose()).to.equal(first);
    const errors = (await first) as Error[];
    expect(order).to.deep.equal(['c', 'a']);
    expect(errors.map((e) => e.message).sort()).to.deep.equal(['boom', 'later boom']);
    await d.dispose();
    expect(order).to.deep.equal(['c', 'a']);
  });

  it('releases at once what arrives after dispose (a getUserMedia that resolves after stop)', async () => {
    const d = new Disposer();
    await d.dispose();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    d.add('late mic', stream);
    await tick();
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    expect(d.held()).to.deep.equal([]);
  });

  it('forgets what was released early, and timers that fired', async () => {
    const d = new Disposer();
    let released = 0;
    const h = d.add('url', () => released++);
    h.release();
    h.release();
    expect(released).to.equal(1);
    let fired = false;
    const t = d.add('t', () => clearTimeout(id));
    const id = setTimeout(() => (t.release(), (fired = true)), 10);
    expect(d.held()).to.deep.equal(['t']);
    await tick(30);
    expect(fired).to.equal(true);
    expect(d.held()).to.deep.equal([]);
    await d.dispose();
    expect(released).to.equal(1);
  });

  it('scopes: a child holds one start()..stop(), the parent outlives it', async () => {
    const root = new Disposer('element');
    root.add('pagehide', () => {});
    const run = root.scope('run 1');
    run.add('mic', () => {});
    run.add('worklet', () => {});
    expect(root.held()).to.deep.equal(['pagehide', 'run 1/mic', 'run 1/worklet']);
    await run.dispose();
    expect(root.held()).to.deep.equal(['pagehide']);
    let late = false;
    run.add('late', () => (late = true));
    expect(late).to.equal(true);
    const run2 = root.scope('run 2');
    let r2 = false;
    run2.add('mic', () => (r2 = true));
    await root.dispose();
    expect(r2).to.equal(true);
    expect(root.held()).to.deep.equal([]);
  });

  it('refuses a resource it does not know how to release', () => {
    expect(() => new Disposer().add('mystery', {} as never)).to.throw(TypeError);
  });
});
