import { BadRequestException, ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

export const ADMIN_USER_HEADER = 'x-admin-user';
const ADMIN_USER = /^[A-Za-z0-9._@:-]{1,64}$/;

/** Who makes a change, for the audit log: the x-admin-user header, else "admin". */
export const AdminUser = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().headers[ADMIN_USER_HEADER];
  if (value === undefined) return 'admin';
  if (typeof value !== 'string' || !ADMIN_USER.test(value)) {
    throw new BadRequestException(`${ADMIN_USER_HEADER} must be 1-64 letters, digits or . _ @ : -`);
  }
  return value;
});
