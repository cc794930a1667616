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
  | 'STALE_REVISION'
  | 'STATE_NOT_ALLOWED'
  | 'RUN_NOT_DRAFT'
  | 'RUN_PUBLISHED_MEANWHILE'
  | 'RUN_NOT_PUBLISHED'
  | 'INPUTS_CHANGED'
  | 'UNIT_CANCELLED'
  | 'ENTRY_BEFORE_LAST'
  | 'OBJECTIONS_OPEN'
  | 'RIGHT_NOT_LIVE'
  | 'RIGHT_ENCUMBERED'
  | 'RIGHTS_OVERLAP'
  | 'JOB_INTERRUPTED'
  | 'CONCURRENT_CHANGE'
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
    case 'STALE_REVISION':
    case 'STATE_NOT_ALLOWED':
    case 'RUN_NOT_DRAFT':
    case 'RUN_PUBLISHED_MEANWHILE':
    case 'RUN_NOT_PUBLISHED':
    case 'INPUTS_CHANGED':
    case 'UNIT_CANCELLED':
    case 'ENTRY_BEFORE_LAST':
    case 'OBJECTIONS_OPEN':
    case 'RIGHT_NOT_LIVE':
    case 'RIGHT_ENCUMBERED':
    case 'RIGHTS_OVERLAP':
    case 'JOB_INTERRUPTED':
    case 'CONCURRENT_CHANGE':
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
    case 'STALE_REVISION':
      return 'Changed meanwhile: reload and retry';
    case 'STATE_NOT_ALLOWED':
      return 'Not allowed in the current state';
    case 'RUN_NOT_DRAFT':
      return 'Only a draft run can be published';
    case 'RUN_PUBLISHED_MEANWHILE':
      return 'Another run of the year was published meanwhile';
    case 'RUN_NOT_PUBLISHED':
      return 'Only a published run can be withdrawn';
    case 'INPUTS_CHANGED':
      return 'The inputs changed since this draft was computed';
    case 'UNIT_CANCELLED':
      return 'The unit is cancelled';
    case 'ENTRY_BEFORE_LAST':
      return 'Earlier than the unit’s latest entry';
    case 'OBJECTIONS_OPEN':
      return 'Objections are open or their period runs';
    case 'RIGHT_NOT_LIVE':
      return 'The right is not live on the date';
    case 'RIGHT_ENCUMBERED':
      return 'The right is encumbered';
    case 'RIGHTS_OVERLAP':
      return 'Exclusive rights would overlap';
    case 'JOB_INTERRUPTED':
      return 'The job was interrupted';
    case 'CONCURRENT_CHANGE':
      return 'Changed concurrently: retry';

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
