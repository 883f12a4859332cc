import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { MongoModule } from '@app/data';
import { createMetricsRegistry } from '@app/observability';
import { ServiceClientsModule } from '@app/transport';
import { CutoverController } from './cutover/cutover.controller';
import { CutoverService } from './cutover/cutover.service';
import { EventDelivery } from './delivery/event-delivery';
import { EVENT_LOG_PROVIDERS } from './log/event-log.providers';
import { OutboxDrainer } from './outbox/outbox-drainer';
import { ReconcileController } from './reconcile/reconcile.controller';
import { ReconcileService } from './reconcile/reconcile.service';
import { SyncConfig } from './sync.config';
import { SyncController } from './sync.controller';

@Module({
  imports: [
    MongoModule.forRootAsync({
      inject: [SyncConfig],
      useFactory: (config: SyncConfig) => ({ url: config.MONGO_URL, dbName: config.MONOLITH_DB }),
    }),
    ServiceClientsModule.forRoot(SyncConfig),
  ],
  controllers: [SyncController, CutoverController, ReconcileController],
  providers: [
    { provide: Registry, useFactory: () => createMetricsRegistry('sync') },
    ...EVENT_LOG_PROVIDERS,
    OutboxDrainer,
    EventDelivery,
    CutoverService,
    ReconcileService,
  ],
})
export class SyncModule {}
