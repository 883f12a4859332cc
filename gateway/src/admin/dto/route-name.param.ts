import { Matches } from 'class-validator';
import { NAME_PATTERN } from '../../routes/route-table';

export class RouteNameParam {
  @Matches(NAME_PATTERN, { message: 'name must be a route name: lowercase letters, digits and -' })
  name: string;
}
