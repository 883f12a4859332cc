import { IsOptional, IsString, Length } from 'class-validator';

/** Why a change is made: recorded as `why` in the audit log. */
export class ReasonDto {
  @IsOptional()
  @IsString({ message: 'reason must be a text of 1 to 200 characters' })
  @Length(1, 200, { message: 'reason must be a text of 1 to 200 characters' })
  reason?: string;
}
