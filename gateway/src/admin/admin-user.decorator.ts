import { BadRequestException, ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

export const ADMIN_USER_HEADER = 'x-admin-user';
const ADMIN_USER = /^[A-Za-z0-9._@:-]{1,64}$/;
/** Names the audit log uses for changes the system makes itself; nobody may claim them. */
export const RESERVED_ADMIN_USERS: readonly string[] = ['file', 'cli', 'gateway'];

/** Who makes a change, as claimed by the x-admin-user header (else "admin"), for the audit log. */
export const AdminUser = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().headers[ADMIN_USER_HEADER];
  if (value === undefined) return 'admin';
  if (typeof value !== 'string' || !ADMIN_USER.test(value)) {
    throw new BadRequestException(`${ADMIN_USER_HEADER} must be 1-64 letters, digits or . _ @ : -`);
  }
  if (RESERVED_ADMIN_USERS.includes(value.toLowerCase())) {
    throw new BadRequestException(
      `${ADMIN_USER_HEADER} cannot be ${RESERVED_ADMIN_USERS.join(' or ')}: those name the system itself`,
    );
  }
  return value;
});
