import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { WholeNumber } from '@app/contracts';

export class AuditQueryDto {
  @IsOptional()
  @WholeNumber()
  @IsInt()
  @Min(1)
  @Max(1_000)
  limit: number = 100;
}
