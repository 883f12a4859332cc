import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { TARGET_NAME_PATTERN } from '../../routes/route-table';
import { ReasonDto } from './reason.dto';

export class UpdateRouteDto extends ReasonDto {
  @IsString({ message: 'target must be the name of a target declared in routes.yaml' })
  @Matches(TARGET_NAME_PATTERN, { message: 'target must be the name of a target declared in routes.yaml' })
  target: string;

  @IsOptional()
  @IsIn(['live'], {
    message:
      'mode must be live; shadow and canary have their own calls, POST /_gateway/routes/:name/shadow and /canary, which name a candidate',
  })
  mode = 'live' as const;
}
