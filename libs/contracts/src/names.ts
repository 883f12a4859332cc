import { Matches } from 'class-validator';

/** A user name as the API accepts it: 1-64 letters, digits, _ or -. */
export const USER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The `:user` path parameter. */
export class UserParam {
  @Matches(USER_NAME_PATTERN, { message: 'user must be 1-64 letters, digits, _ or -' })
  user: string;
}
