import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { NAME_PATTERN, ROUTE_MODES, RouteMode } from '../../routes/route-table';

export class UpdateRouteDto {
  @IsString({ message: 'target must be the name of a target declared in routes.yaml' })
  @Matches(NAME_PATTERN, { message: 'target must be the name of a target declared in routes.yaml' })
  target: string;

  @IsOptional()
  @IsIn(ROUTE_MODES, {
    message: `mode must be one of ${ROUTE_MODES.join(', ')} (shadow and canary are not supported yet)`,
  })
  mode: RouteMode = 'live';
}
