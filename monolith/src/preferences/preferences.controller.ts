import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { PreferencesDto, UserParam } from '@app/contracts';
import { PreferencesService } from './preferences.service';

@Controller('users/:user/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  get(@Param() { user }: UserParam) {
    return this.preferences.get(user);
  }

  @Put()
  save(@Param() { user }: UserParam, @Body() input: PreferencesDto) {
    return this.preferences.save(user, input);
  }
}
