import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
// the request's `user` (passport) and `id` (pino-http) are declared by these packages' types
import type {} from 'passport';
import type {} from 'pino-http';
import { Role } from './roles';

/** The signed-in user as the guards put it on the request. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Root of the user's region subtree; null = all regions. */
  regionCode: string | null;
}

/** Who performs a write, as recorded in the audit log. */
export interface Actor {
  user: AuthUser | null;
  /** For writes without a signed-in user (failed logins, seeds). */
  username?: string;
  requestId?: string;
  ip?: string;
}

/** A write by a signed-in user (every authenticated route's actor). */
export type SignedIn = Actor & { user: AuthUser };

export function actorOf(req: Request): Actor {
  const user = (req.user as AuthUser | undefined) ?? null;
  return {
    user,
    username: user?.username,
    requestId: typeof req.id === 'string' ? req.id : undefined,
    ip: req.ip,
  };
}

/** `@CurrentActor() actor: Actor` — the caller, with request id and address, for auditing. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor =>
  actorOf(ctx.switchToHttp().getRequest<Request>()),
);
