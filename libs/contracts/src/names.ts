import { Matches } from 'class-validator';

/** A user name as the API accepts it: 1-64 letters, digits, _ or -. */
export const USER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A post id as the API accepts it: the reddit base36 ids, plus room for other sources. */
export const POST_ID_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

/** A user name field; the HTTP parameter and every message carrying it share the message. */
export function IsUserName(): PropertyDecorator {
  return Matches(USER_NAME_PATTERN, { message: '$property must be 1-64 letters, digits, _ or -' });
}

/**
 * A post id field, validated and worded the same on HTTP and on the
 * transport; `name` is what the message calls it (the field's own name by default).
 */
export function IsPostId(name = '$property'): PropertyDecorator {
  return Matches(POST_ID_PATTERN, { message: `${name} must be 1-32 letters, digits or _` });
}

/** The `:user` path parameter. */
export class UserParam {
  @IsUserName()
  user: string;
}

/** The `:id` path parameter of a post. */
export class PostIdParam {
  @IsPostId()
  id: string;
}
