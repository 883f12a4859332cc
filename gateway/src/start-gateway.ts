import { existsSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ConfigError } from '@app/config';
import { AppLogger, LOGGER } from '@app/observability';
import { createHttpApp, exitWhenShutdownHangs } from '@app/platform';
import { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { GatewayServer } from './proxy/gateway-server';

export interface RunningGateway {
  url: string;
  app: INestApplication;
  config: GatewayConfig;
  /** Stops listening, drains, and shuts every module down. */
  close(): Promise<void>;
}

/**
 * Builds the Nest admin app with the shared platform bootstrap, then serves
 * it under /_gateway from the gateway's own node:http server, which sends
 * every other request straight to the proxy.
 */
export async function startGateway(env?: NodeJS.ProcessEnv): Promise<RunningGateway> {
  const { app, config, logger } = await createHttpApp(GatewayModule, { name: 'gateway', config: GatewayConfig, env });
  if (!config.GATEWAY_ADMIN_TOKEN) {
    logger.warn('GATEWAY_ADMIN_TOKEN is not set: the admin API (/_gateway/routes, /_gateway/audit) is off');
  }
  if (!existsSync(join(config.GATEWAY_UI_DIR, 'index.html'))) {
    logger.warn({ dir: config.GATEWAY_UI_DIR }, 'the dashboard is not built (npm run build): /_gateway/ui is off');
  }
  try {
    const admin = app.getHttpAdapter().getInstance() as RequestListener;
    const url = await app.get(GatewayServer).listen(admin, config.PORT, config.HOST);
    logger.info({ url, routes: config.ROUTES_FILE }, 'gateway listening');
    return { url, app, config, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Entry point of the gateway process; a bad env or routes file stops it with one line. */
export async function bootstrapGateway(): Promise<void> {
  try {
    const { app } = await startGateway();
    exitWhenShutdownHangs(app.get<AppLogger>(LOGGER));
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String((error as Error).stack ?? error);
    process.stderr.write(`gateway: ${message}\n`);
    process.exit(1);
  }
}
