/** Every typed error the service can raise. Adding a code forces a mapping in {@link statusOf}. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'MALFORMED_REQUEST'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'OUT_OF_REGION_SCOPE'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'DUPLICATE'
  | 'CONSTRAINT_VIOLATED'
  | 'REGION_INVALID_PARENT'
  | 'REGION_HAS_CHILDREN'
  | 'METHODOLOGY_INVALID'
  | 'METHODOLOGY_PUBLISHED'
  | 'FORM_LOCKED'
  | 'DATA_INCOMPLETE'
  | 'PAYLOAD_TOO_LARGE'
  | 'HEADER_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BUSY'
  | 'INTERNAL';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'CONSTRAINT_VIOLATED':
    case 'REGION_INVALID_PARENT':
    case 'METHODOLOGY_INVALID':
      return 422;
    case 'MALFORMED_REQUEST':
      return 400;
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
    case 'OUT_OF_REGION_SCOPE':
      return 403;
    case 'NOT_FOUND':
    case 'ROUTE_NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'DUPLICATE':
    case 'REGION_HAS_CHILDREN':
    case 'METHODOLOGY_PUBLISHED':
    case 'FORM_LOCKED':
    case 'DATA_INCOMPLETE':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'HEADER_TOO_LARGE':
      return 431;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'BUSY':
      return 503;
  }
}

export function titleOf(code: ErrorCode): string {
  switch (code) {
    case 'VALIDATION_FAILED':
      return 'The request has invalid fields';
    case 'MALFORMED_REQUEST':
      return 'The request could not be read';
    case 'NOT_FOUND':
      return 'Not found';
    case 'ROUTE_NOT_FOUND':
      return 'No such route';
    case 'UNAUTHENTICATED':
      return 'Authentication required';
    case 'INVALID_CREDENTIALS':
      return 'Wrong username or password';
    case 'FORBIDDEN':
      return 'Not allowed for your role';
    case 'OUT_OF_REGION_SCOPE':
      return 'Outside your region';
    case 'RATE_LIMITED':
      return 'Too many requests';
    case 'CONFLICT':
      return 'Conflict with the current state';
    case 'DUPLICATE':
      return 'Already exists';
    case 'CONSTRAINT_VIOLATED':
      return 'The change breaks a data rule';
    case 'REGION_INVALID_PARENT':
      return 'Invalid parent region';
    case 'REGION_HAS_CHILDREN':
      return 'Region still has sub-regions';
    case 'METHODOLOGY_INVALID':
      return 'The methodology has problems';
    case 'METHODOLOGY_PUBLISHED':
      return 'The methodology is published and cannot change';
    case 'FORM_LOCKED':
      return 'The form is submitted or approved; its values are locked';
    case 'DATA_INCOMPLETE':
      return 'Figures are missing: not done as if they were 0';
    case 'PAYLOAD_TOO_LARGE':
      return 'Request body too large';
    case 'HEADER_TOO_LARGE':
      return 'Request header fields too large';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'Unsupported content type';
    case 'BUSY':
      return 'Busy: too much work is queued';
    case 'INTERNAL':
      return 'Internal error';
  }
}
