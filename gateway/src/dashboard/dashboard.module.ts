import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { GatewayConfig } from '../gateway.config';
import { MetricsModule } from '../metrics/metrics.module';
import { ProxyModule } from '../proxy/proxy.module';
import { RoutesModule } from '../routes/routes.module';
import { DependencyMapController } from './dependency-map.controller';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

export const DASHBOARD_PATH = '/_gateway/ui';

/** The page only talks to its own origin; the dependency map's Graphviz runs as WebAssembly. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

/**
 * The migration dashboard: its built files under /_gateway/ui (served by the
 * Nest admin app, so the proxy's path never sees them) and the public
 * overview it polls. Not built yet (no index.html): nothing is served there.
 */
@Module({
  imports: [
    RoutesModule,
    MetricsModule,
    ProxyModule,
    ServeStaticModule.forRootAsync({
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) =>
        existsSync(join(config.GATEWAY_UI_DIR, 'index.html'))
          ? [
              {
                rootPath: config.GATEWAY_UI_DIR,
                serveRoot: DASHBOARD_PATH,
                serveStaticOptions: { setHeaders: securityHeaders, fallthrough: false },
              },
            ]
          : [],
    }),
  ],
  controllers: [OverviewController, DependencyMapController],
  providers: [OverviewService],
})
export class DashboardModule {}
