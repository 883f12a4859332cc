import { Matches } from 'class-validator';

export class JobIdParam {
  @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'id must be 1-64 letters, digits or -' })
  id: string;
}
