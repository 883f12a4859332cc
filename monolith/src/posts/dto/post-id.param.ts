import { Matches } from 'class-validator';

export const POST_ID_PATTERN = /^[A-Za-z0-9_]{1,32}$/;

export class PostIdParam {
  @Matches(POST_ID_PATTERN, { message: 'id must be 1-32 letters, digits or _' })
  id: string;
}
