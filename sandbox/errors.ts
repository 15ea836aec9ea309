import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ParameterLocation = 'HEADER' | 'PATH' | 'PAYLOAD_BODY' | 'QUERY';

export interface ConstraintViolation {
  path: string;
  message: string;
  parameterLocation: ParameterLocation;
  location: null;
}

/** The one error the sandbox throws; `onError` turns it into Dynatrace's error envelope. */
export class SandboxError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly violations?: ConstraintViolation[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function violation(path: string, message: string, parameterLocation: ParameterLocation = 'QUERY'): ConstraintViolation {
  return { path, message, parameterLocation, location: null };
}

/** 400 "Constraints violated." with one violation, the shape Dynatrace uses for parameter errors. */
export function badParameter(path: string, message: string, where: ParameterLocation = 'QUERY'): SandboxError {
  return new SandboxError(400, 'Constraints violated.', [violation(path, message, where)]);
}

export const AUTH_FAILED = 'Token Authentication failed';

export const errors = {
  missingAuth: () => new SandboxError(401, 'Missing authorization parameter.'),
  /** One identical body for malformed, unknown and wrong-secret tokens (and deleted owners). */
  invalidToken: () => new SandboxError(401, AUTH_FAILED),
  expired: () => new SandboxError(401, `${AUTH_FAILED}: the token has expired`),
  disabled: () => new SandboxError(401, `${AUTH_FAILED}: the token is disabled`),
  patDisabled: () => new SandboxError(401, `${AUTH_FAILED}: personal access tokens are disabled in this environment`),
  patV1: () => new SandboxError(403, 'Personal access tokens can only be used with API v2'),
  ownerLacks: (user: string, permission: string) =>
    new SandboxError(403, `User '${user}' lacks the permission '${permission}' required for this request`),
  zoneDenied: (zone: string, user: string) =>
    new SandboxError(403, `Management zone '${zone}' is not accessible to user '${user}'`),
  notFound: (what: string) => new SandboxError(404, what),
  rateLimited: (retryAfterSeconds: number) =>
    new SandboxError(429, 'Too many requests', undefined, { 'Retry-After': String(retryAfterSeconds) }),
};

export function envelope(status: number, message: string, violations?: ConstraintViolation[]) {
  return { error: { code: status, message, ...(violations?.length ? { constraintViolations: violations } : {}) } };
}

export function writeError(c: Context, err: SandboxError) {
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  return c.json(envelope(err.status, err.message, err.violations), err.status);
}
