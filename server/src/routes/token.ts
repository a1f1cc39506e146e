// GET|POST /token -> {"token": "...", "expires_in": 300}: a short-lived JWT for the page, bound to
// the origin that asked (see tokens/origin.ts).
import type { RequestContext } from '../context.ts';
import { sendJson } from '../errors.ts';
import { clientIp, enforceLimit } from '../tokens/authenticate.ts';
import { createToken } from '../tokens/jwt.ts';
import { requestOrigin } from '../tokens/origin.ts';

export async function tokenRoute({ req, res, app }: RequestContext): Promise<void> {
  await enforceLimit(app.limits.token, clientIp(req), 'for tokens');
  // A POST body, if any, is not used: drain it (bounded) so keep-alive works.
  req.resume();
  const token = await createToken(app.tokenSecret, app.tokenTtlS, requestOrigin(req));
  sendJson(res, 200, { token, expires_in: app.tokenTtlS });
}
