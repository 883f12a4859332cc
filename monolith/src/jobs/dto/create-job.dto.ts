import { IsIn } from 'class-validator';
import { JOB_KINDS, JobKind } from '../job.document';

export class CreateJobDto {
  @IsIn(JOB_KINDS, { message: `kind must be one of: ${JOB_KINDS.join(', ')}` })
  kind: JobKind;
}
