import { IsNotEmpty, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { USER_NAME_PATTERN } from '@app/contracts';

export class CreatePostDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  @IsString()
  @Matches(USER_NAME_PATTERN, { message: 'author must be 1-64 letters, digits, _ or -' })
  author: string;

  @IsOptional()
  @IsString()
  @MaxLength(40_000)
  selftext?: string;

  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  url?: string;
}
