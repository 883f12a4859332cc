import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  ModuleMetadata,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Db, MongoClient } from 'mongodb';
import { NO_OUTBOX_WAKER, OUTBOX_WAKER, Outbox, OutboxWaker } from './outbox';
import { StoreHealth } from './store-health';
import { MONGO_CLIENT, MONGO_DB } from './tokens';

export interface MongoOptions {
  url: string;
  dbName: string;
}

/** How the process's outbox wakes the relay; a no-op unless given. */
export interface OutboxWakerFactory {
  imports?: ModuleMetadata['imports'];
  inject?: unknown[];
  useFactory: (...deps: never[]) => OutboxWaker;
}

@Injectable()
class MongoLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CLIENT) private readonly client: MongoClient,
    @Inject(OUTBOX_WAKER) private readonly waker: OutboxWaker,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client.close(), this.waker.close?.()]);
  }
}

/** One pooled client per process, connected before the app starts serving. */
@Global()
@Module({})
export class MongoModule {
  static forRootAsync(options: {
    inject: unknown[];
    useFactory: (...deps: never[]) => MongoOptions;
    outboxWaker?: OutboxWakerFactory;
  }): DynamicModule {
    const waker = options.outboxWaker ?? { useFactory: () => NO_OUTBOX_WAKER };
    return {
      module: MongoModule,
      imports: waker.imports ?? [],
      providers: [
        { provide: OUTBOX_WAKER, inject: (waker.inject ?? []) as never[], useFactory: waker.useFactory },
        { provide: 'MONGO_OPTIONS', inject: options.inject as never[], useFactory: options.useFactory },
        {
          provide: MONGO_CLIENT,
          inject: ['MONGO_OPTIONS'],
          useFactory: (opts: MongoOptions) =>
            MongoClient.connect(opts.url, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 50 }),
        },
        {
          provide: MONGO_DB,
          inject: [MONGO_CLIENT, 'MONGO_OPTIONS'],
          useFactory: (client: MongoClient, opts: MongoOptions): Db => client.db(opts.dbName),
        },
        MongoLifecycle,
        StoreHealth,
        Outbox,
      ],
      exports: [MONGO_CLIENT, MONGO_DB, StoreHealth, Outbox, OUTBOX_WAKER],
    };
  }
}
