/** A failure the caller can act on, carrying the HTTP status it maps to. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, message);
  }
}

export class InvalidInputError extends DomainError {
  constructor(message: string) {
    super(400, message);
  }
}

/** A handler that is generated but not written yet (a scaffolded service): the message says where to write it. */
export class NotImplementedError extends DomainError {
  constructor(message: string) {
    super(501, message);
  }
}
