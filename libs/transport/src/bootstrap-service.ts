import { Type } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { ConfigError } from '@app/config';
import { HttpApp, createHttpApp, exitWhenShutdownHangs } from '@app/platform';
import { RpcContextInterceptor, RpcErrorFilter } from './rpc-server';
import { ServiceName } from './services';
import { instanceName, serverOptions } from './transport-options';
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
  // The message handlers share the app's configuration (its validation pipe
  // included) and are bound when connected, so the RPC filter and interceptor
  // go in first; the HTTP routes were bound at init and keep the HTTP filter.
  app.useGlobalFilters(new RpcErrorFilter(logger));
  app.useGlobalInterceptors(new RpcContextInterceptor(config.TRANSPORT === 'rmq'));
  app.connectMicroservice(serverOptions({ service: options.name, version: config.SERVICE_VERSION }, config), {
    inheritAppConfig: true,
  });
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
    exitWhenShutdownHangs(logger);
    await app.listen(config.PORT, config.HOST);
    const name = instanceName({ service: options.name, version: config.SERVICE_VERSION });
    logger.info({ url: await app.getUrl(), transport: config.TRANSPORT }, `${name} listening`);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`${options.name}: ${message}\n`);
    process.exit(1);
  }
}
