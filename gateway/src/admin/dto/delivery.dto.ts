import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { TARGET_NAME_PATTERN } from '../../routes/route-table';
import { ReasonDto } from './reason.dto';

const CANDIDATE_RULE = { message: 'candidate must be the name of a target declared in routes.yaml' };

export class ShadowDto extends ReasonDto {
  @IsString(CANDIDATE_RULE)
  @Matches(TARGET_NAME_PATTERN, CANDIDATE_RULE)
  candidate: string;

  /** Share of safe requests also sent to the candidate. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'sampleRate must be a number from 0 to 1' })
  @Min(0, { message: 'sampleRate must be a number from 0 to 1' })
  @Max(1, { message: 'sampleRate must be a number from 0 to 1' })
  sampleRate?: number;
}

export class CanaryDto extends ReasonDto {
  @IsString(CANDIDATE_RULE)
  @Matches(TARGET_NAME_PATTERN, CANDIDATE_RULE)
  candidate: string;

  @IsInt({ message: 'weight must be a whole percent from 0 to 100 (the share the candidate gets)' })
  @Min(0, { message: 'weight must be a whole percent from 0 to 100 (the share the candidate gets)' })
  @Max(100, { message: 'weight must be a whole percent from 0 to 100 (the share the candidate gets)' })
  weight: number;
}
