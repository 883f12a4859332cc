import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppLogger } from './logger';

export const LOGGER = Symbol('LOGGER');

/** Shares the process logger made at bootstrap with every provider. */
@Global()
@Module({})
export class LoggerModule {
  static forRoot(logger: AppLogger): DynamicModule {
    return { module: LoggerModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
