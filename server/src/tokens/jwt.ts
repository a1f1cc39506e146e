// Short-lived bearer tokens for the page: JWTs (HS256, signed and verified by `jose`) with the claims
// origin (the page's origin the token was minted for), jti, iat and exp. The secret comes from
// TOKEN_SECRET, so every instance started with the same secret accepts the others' tokens.
// The page only ever holds one of these; the upstream keys stay on the server.
import { randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

export interface TokenPayload {
  /** The origin (scheme://host[:port]) the token was minted for; checked on every API call. */
  origin: string;
  jti: string;
  /** Seconds since the epoch, as in every JWT. */
  iat: number;
  exp: number;
}

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: string };

const ALG = 'HS256';
const key = (secret: string) => new TextEncoder().encode(secret);

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function createToken(secret: string, ttlS: number, origin: string, now = Date.now()): Promise<string> {
  // JWT times are whole seconds: round the expiry up so a token lives at least ttlS.
  const iat = Math.floor(now / 1000);
  return signPayload(secret, { origin, jti: randomBytes(12).toString('base64url'), iat, exp: Math.ceil(now / 1000 + ttlS) });
}

/** Signs an arbitrary payload (tests use it to make expired tokens). */
export function signPayload(secret: string, payload: TokenPayload): Promise<string> {
  return new SignJWT({ origin: payload.origin })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setJti(payload.jti)
    .setIssuedAt(payload.iat)
    .setExpirationTime(payload.exp)
    .sign(key(secret));
}

export async function verifyToken(secret: string, token: string, now = Date.now()): Promise<TokenCheck> {
  if (token.length > 2048) return { ok: false, reason: 'token too long' };
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: [ALG],
      currentDate: new Date(now),
      requiredClaims: ['exp', 'jti', 'origin'],
    });
    if (typeof payload.origin !== 'string' || typeof payload.jti !== 'string') return { ok: false, reason: 'malformed token' };
    return { ok: true, payload: payload as unknown as TokenPayload };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: 'token expired' };
    if (e instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad signature' };
    return { ok: false, reason: 'malformed token' };
  }
}

/** Extracts the token from "Authorization: Bearer <token>", or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : null;
}
