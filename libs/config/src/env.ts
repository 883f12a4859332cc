import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const MONGO_URL_PATTERN = /^mongodb(\+srv)?:\/\/\S+$/;
export const DB_NAME_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;

/** Variables every process reads; each process's config class extends one of these. */
export class BaseEnv {
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}

/** Variables of a process that serves HTTP; subclasses override the PORT default. */
export class HttpEnv extends BaseEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '127.0.0.1';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT: string = '100kb';
}
