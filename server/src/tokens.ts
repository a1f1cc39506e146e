// Short-lived bearer tokens for the page: HMAC-SHA256 over a base64url JSON payload.
// Format: "<base64url(payload)>.<base64url(hmac)>", payload {"v":1,"iat":ms,"exp":ms,"jti":hex}.
// The page only ever holds one of these; the upstream key (if any) stays on the server.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenPayload {
  v: 1;
  iat: number;
  exp: number;
  jti: string;
}

export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; reason: string };

function sign(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function createToken(secret: string, ttlS: number, now = Date.now()): string {
  const payload: TokenPayload = { v: 1, iat: now, exp: now + ttlS * 1000, jti: randomBytes(8).toString('hex') };
  return signPayload(secret, payload);
}

/** Signs an arbitrary payload (tests use it to make expired tokens). */
export function signPayload(secret: string, payload: TokenPayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

export function verifyToken(secret: string, token: string, now = Date.now()): TokenCheck {
  if (token.length > 1024) return { ok: false, reason: 'token too long' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed token' };
  const [body, sig] = parts as [string, string];
  const expected = sign(secret, body);
  const given = Buffer.from(sig, 'base64url');
  // Buffer's base64url decoder skips junk characters: insist on the canonical spelling.
  if (given.toString('base64url') !== sig) return { ok: false, reason: 'malformed token' };
  // Compare in constant time; a length mismatch is not secret (the HMAC length is public).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad signature' };
  }
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  if (payload?.v !== 1 || typeof payload.exp !== 'number') return { ok: false, reason: 'malformed token' };
  if (payload.exp <= now) return { ok: false, reason: 'token expired' };
  return { ok: true, payload };
}

/** Extracts the token from "Authorization: Bearer <token>", or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : null;
}
