import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ClassConstructor } from 'class-transformer';
import express from 'express';
import { ConfigError, ConfigModule, HttpEnv, loadConfig } from '@app/config';
import { AppLogger, LoggerModule, NestPinoLogger, createLogger, requestIdMiddleware } from '@app/observability';
import { bodyErrorHandler, rejectOperatorQueries } from './http-guards';
import { HttpExceptionFilter } from './http-exception.filter';
import { createValidationPipe } from './validation';

export interface HttpAppOptions<C extends HttpEnv> {
  /** Process name used in logs and health output. */
  name: string;
  config: ClassConstructor<C>;
  /** Environment to read instead of process.env (tests). */
  env?: NodeJS.ProcessEnv;
}

export interface HttpApp<C> {
  app: INestApplication;
  config: C;
  logger: AppLogger;
}

function rootModule(appModule: Type<unknown>, imports: DynamicModule[]): DynamicModule {
  @Module({})
  class RootModule {}
  return { module: RootModule, imports: [...imports, appModule] };
}

/** Builds a configured, initialised HTTP app without listening. */
export async function createHttpApp<C extends HttpEnv>(
  appModule: Type<unknown>,
  options: HttpAppOptions<C>,
): Promise<HttpApp<C>> {
  const config = loadConfig(options.config, options.env);
  const logger = createLogger(options.name, config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(
    rootModule(appModule, [ConfigModule.forRoot(options.config, config), LoggerModule.forRoot(logger)]),
    { bodyParser: false, logger: new NestPinoLogger(logger), abortOnError: false },
  );
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(rejectOperatorQueries);
  app.use(express.json({ limit: config.BODY_LIMIT }));
  app.use(bodyErrorHandler);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  app.enableShutdownHooks();
  await app.init();
  return { app, config, logger };
}

/** How long a process may take to close after SIGTERM or SIGINT before it exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Makes sure a stop signal ends the process: the shutdown hooks run on the
 * signal, and when they have not finished within `graceMs` (a relay
 * waiting on a store that was stopped first took half a minute) the process
 * exits with status 1.
 */
export function exitWhenShutdownHangs(logger: AppLogger, graceMs = SHUTDOWN_GRACE_MS): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.warn({ signal, graceMs }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      }, graceMs).unref();
    });
  }
}

/** Entry point of an HTTP process: create, listen, report; a bad env stops it with one line. */
export async function bootstrapHttp<C extends HttpEnv>(
  appModule: Type<unknown>,
  options: HttpAppOptions<C>,
): Promise<void> {
  try {
    const { app, config, logger } = await createHttpApp(appModule, options);
    exitWhenShutdownHangs(logger);
    await app.listen(config.PORT, config.HOST);
    logger.info({ url: await app.getUrl() }, `${options.name} listening`);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`${options.name}: ${message}\n`);
    process.exit(1);
  }
}
