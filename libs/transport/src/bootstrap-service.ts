import { Type } from '@nestjs/common';
import type { NestMicroservice } from '@nestjs/microservices/nest-microservice';
import { ClassConstructor } from 'class-transformer';
import { ConfigError } from '@app/config';
import { HttpApp, createHttpApp, createValidationPipe } from '@app/platform';
import { RpcContextInterceptor, RpcErrorFilter } from './rpc-server';
import { ServiceName } from './services';
import { serverOptions } from './transport-options';
import { TransportEnv } from './transport.env';

export interface ServiceOptions<C extends TransportEnv> {
  name: ServiceName;
  config: ClassConstructor<C>;
  env?: NodeJS.ProcessEnv;
}

/**
 * A hybrid app: message handlers on the configured transport, plus a small
 * HTTP side for /health and /metrics. Started, not yet listening on HTTP.
 */
export async function createServiceApp<C extends TransportEnv>(
  appModule: Type<unknown>,
  options: ServiceOptions<C>,
): Promise<HttpApp<C>> {
  const created = await createHttpApp(appModule, options);
  const { app, config, logger } = created;
  // Deferred so that the pipes, filter and interceptor below are in place when
  // handlers are registered; the app's init hooks have already run.
  const microservice = app.connectMicroservice(serverOptions(options.name, config), {
    inheritAppConfig: false,
    deferInitialization: true,
  }) as NestMicroservice;
  microservice.setIsInitHookCalled(true);
  microservice.useGlobalPipes(createValidationPipe());
  microservice.useGlobalFilters(new RpcErrorFilter(logger));
  microservice.useGlobalInterceptors(new RpcContextInterceptor(config.TRANSPORT === 'rmq'));
  await app.startAllMicroservices();
  return created;
}

/** Entry point of every extracted service. */
export async function bootstrapService<C extends TransportEnv>(
  appModule: Type<unknown>,
  options: ServiceOptions<C>,
): Promise<void> {
  try {
    const { app, config, logger } = await createServiceApp(appModule, options);
    await app.listen(config.PORT, config.HOST);
    logger.info({ url: await app.getUrl(), transport: config.TRANSPORT }, `${options.name} listening`);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`${options.name}: ${message}\n`);
    process.exit(1);
  }
}
