import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from './roles';

export const ACCESS_KEY = 'gep:access';

/** Who may call a route. Every route must declare one; the guard refuses routes without. */
export type AccessRule =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

/** Deliberately public: no token needed. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'public' });

/** Any signed-in user, whatever the role. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'authenticated' }),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing, expired or invalid token' }),
  );

/** Signed-in users holding at least one of `roles`. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata<string, AccessRule>(ACCESS_KEY, { kind: 'roles', roles }),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'missing, expired or invalid token' }),
    ApiForbiddenResponse({ description: `allowed roles: ${roles.join(', ')}` }),
  );
