import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

/** Constraints on a value's presence or type: when one fails, the field's other rules say nothing useful. */
const TYPE_CONSTRAINTS = new Set(['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject']);

/** What a field's failed constraints say: the type's message alone when its type is wrong, each message once. */
function messagesOf(constraints: Record<string, string>): string[] {
  const failed = Object.entries(constraints);
  const typeFailures = failed.filter(([name]) => TYPE_CONSTRAINTS.has(name));
  return [...new Set((typeFailures.length > 0 ? typeFailures : failed).map(([, message]) => message))];
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [...messagesOf(error.constraints ?? {}), ...flatten(error.children ?? [], path)];
  });
}

/** Keys that class-transformer leaves out silently instead of letting the whitelist refuse them. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** The first own `__proto__`, `constructor` or `prototype` key at any depth of a parsed body, as a refusal. */
function prototypeKeyProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.includes(key)) return `property ${key} should not exist`;
    const nested = prototypeKeyProblem((value as Record<string, unknown>)[key]);
    if (nested) return nested;
  }
  return undefined;
}

/** The whitelist, extended to the keys class-transformer drops before it could see them. */
class WhitelistingPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = this.toValidate(metadata) ? prototypeKeyProblem(value) : undefined;
    if (problem) throw new BadRequestException(problem);
    return super.transform(value, metadata);
  }
}

/** Whitelisting pipe: unknown fields are rejected, messages name the field. */
export function createValidationPipe(): ValidationPipe {
  return new WhitelistingPipe({
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
  const prototypeKey = prototypeKeyProblem(value);
  if (prototypeKey) return prototypeKey;
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
