import { IsInt, Matches, Max, Min } from 'class-validator';

/** The body of POST /cutover: whose catch-up to wait for, and for how long at most. */
export class CutoverDto {
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'consumer must be the name of a consumer of the log' })
  consumer: string;

  @IsInt({ message: 'timeoutMs must be a whole number of milliseconds' })
  @Min(1)
  @Max(120_000)
  timeoutMs: number = 10_000;
}
