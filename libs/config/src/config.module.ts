import { DynamicModule, Module } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';

/**
 * Makes the config object validated at bootstrap injectable by its class,
 * so a bad variable stops the process before any module is built.
 */
@Module({})
export class ConfigModule {
  static forRoot<T extends object>(configClass: ClassConstructor<T>, config: T): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: configClass, useValue: config }],
      exports: [configClass],
    };
  }
}
