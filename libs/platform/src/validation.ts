import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Whitelisting pipe: unknown fields are rejected, messages name the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Message payloads arrive through the @Message() decorator and are validated like bodies.
    validateCustomDecorators: true,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}

/**
 * What the validation pipe would reject in `value` as a `dto`, in its words
 * (unknown fields included); undefined when valid. For code that validates
 * outside Nest's pipes, such as the gateway's message bridge.
 */
export function validationProblem(dto: new () => object, value: Record<string, unknown>): string | undefined {
  const errors = validateSync(plainToInstance(dto, value), { whitelist: true, forbidNonWhitelisted: true });
  return errors.length > 0 ? flatten(errors).join('; ') : undefined;
}

/**
 * `validationProblem` checked on a shallow copy of `value`, for a DTO whose
 * fields hold objects it does not look into: plainToInstance would first copy
 * them value by value. Each message is prefixed with `path`.
 */
export function shallowValidationProblem(dto: new () => object, value: object, path = ''): string | undefined {
  const errors = validateSync(Object.assign(new dto(), value), { whitelist: true, forbidNonWhitelisted: true });
  return errors.length > 0
    ? flatten(errors)
        .map((message) => `${path}${message}`)
        .join('; ')
    : undefined;
}
