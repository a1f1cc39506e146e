// Hosts remote configuration documents (config-url) on the test runner's own origin, as a
// site's web server or CDN would: GET /__config/<name> answers the document last PUT there,
// with an ETag and 304 to a matching If-None-Match; a test PUTs {status, body} to change what
// is served (a status other than 200 serves that error) and GETs /__config/<name>?hits for
// the requests seen ([{ifNoneMatch, status}]).
import { readBody } from './read-body.mjs';
import { createHash } from 'node:crypto';


export function configDocuments() {
  const docs = new Map();
  return async (ctx, next) => {
    const m = ctx.path.match(/^\/__config\/([\w-]+)$/);
    if (!m) return next();
    const name = m[1];
    const entry = docs.get(name) ?? { status: 404, body: '', hits: [] };
    docs.set(name, entry);
    if (ctx.method === 'PUT') {
      const { status, body } = JSON.parse(await readBody(ctx.req));
      Object.assign(entry, { status, body });
      ctx.status = 204;
      return;
    }
    if ('hits' in ctx.query) {
      ctx.type = 'json';
      ctx.body = JSON.stringify(entry.hits);
      return;
    }
    const etag = `"${createHash('sha256').update(entry.body).digest('hex').slice(0, 16)}"`;
    const ifNoneMatch = ctx.get('if-none-match') || null;
    const status = entry.status === 200 && ifNoneMatch === etag ? 304 : entry.status;
    entry.hits.push({ ifNoneMatch, status });
    ctx.set('Cache-Control', 'no-cache');
    ctx.status = status;
    if (status === 200) {
      ctx.set('ETag', etag);
      ctx.type = 'json';
      ctx.body = entry.body;
    } else if (status === 304) ctx.set('ETag', etag);
    else ctx.body = 'unavailable';
  };
}
