/** Errors a service throws on purpose; the HTTP layer maps each to a status and a friendly page. */
export class DomainError extends Error {
  readonly statusCode: number = 400;
  override name = 'DomainError';
}

export class BadRequestError extends DomainError {
  override readonly statusCode = 400;
}

/** Bad form input: a message per field, shown next to the field. */
export class ValidationError extends DomainError {
  override readonly statusCode = 422;
  constructor(
    readonly fieldErrors: Record<string, string>,
    message = 'Please correct the highlighted fields.',
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly statusCode = 403;
  constructor(message = 'You do not have permission to do that.') {
    super(message);
  }
}

/** Also what a record of another organization answers: its existence is not confirmed. */
export class NotFoundError extends DomainError {
  override readonly statusCode = 404;
  constructor(message = 'We could not find that page.') {
    super(message);
  }
}

export class ConflictError extends DomainError {
  override readonly statusCode = 409;
}

export class TooManyRequestsError extends DomainError {
  override readonly statusCode = 429;
}
