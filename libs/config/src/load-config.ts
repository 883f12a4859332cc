import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export class ConfigError extends Error {}

function describe(errors: ValidationError[]): string {
  return errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`).join('; ');
}

/**
 * Reads the environment into a typed config class, applying its defaults;
 * a missing or malformed variable throws a ConfigError naming it.
 */
export function loadConfig<T extends object>(
  configClass: ClassConstructor<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const config = plainToInstance(configClass, { ...env }, { enableImplicitConversion: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigError(`Invalid environment: ${describe(errors)}`);
  }
  return config;
}
