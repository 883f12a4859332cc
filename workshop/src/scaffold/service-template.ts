/**
 * The files of a new extracted service, as text. The service is wired like
 * the finished ones: bootstrapService (transport, health, metrics, config
 * validated at boot), its own database, a repository, and an event consumer
 * that keeps a copy of the posts from the monolith's events. Its query
 * handler is left for the attendee: it answers 501 with a pointer to the step.
 */

/** The workshop step that has the attendee write the query handler. */
export const PRACTICE_STEP_FILE = 'workshop/steps/06-extract-search.md';

export interface ServiceNames {
  /** Kebab-case service name, e.g. `search-practice`. */
  name: string;
  /** Class-name prefix, e.g. `SearchPractice`. */
  pascal: string;
  /** How code names its patterns: `PATTERNS.practice` or `PATTERNS['search-practice']`. */
  patterns: string;
  database: string;
  httpPort: number;
}

export function namesOf(name: string, httpPort: number): ServiceNames {
  const pascal = name
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
  const patterns = /^[a-z][a-z0-9]*$/.test(name) ? `PATTERNS.${name}` : `PATTERNS['${name}']`;
  return { name, pascal, patterns, database: name.replace(/-/g, '_'), httpPort };
}

/** File name (under extracted/<name>/src/) -> contents. */
export function serviceFiles(n: ServiceNames): Record<string, string> {
  const { name, pascal, patterns } = n;
  return {
    'main.ts': `import { bootstrapService } from '@app/transport';
import { ${pascal}Config } from './${name}.config';
import { ${pascal}Module } from './${name}.module';

void bootstrapService(${pascal}Module, { name: '${name}', config: ${pascal}Config });
`,
    [`${name}.config.ts`]: `import { ServiceEnv } from '@app/transport';

/** The environment of ${name}, validated at boot; every variable of ServiceEnv applies. */
export class ${pascal}Config extends ServiceEnv {
  override PORT: number = ${n.httpPort};
  override MONGO_DB: string = '${n.database}';
}
`,
    [`${name}.module.ts`]: `import { Module } from '@nestjs/common';
import { SerialQueue, ServiceKitModule } from '@app/transport';
import { ${pascal}Config } from './${name}.config';
import { ${pascal}Controller } from './${name}.controller';
import { ${pascal}Repository } from './${name}.repository';
import { ${pascal}Service } from './${name}.service';

@Module({
  // Health and metrics over HTTP, the health pattern, and the service's own database.
  imports: [ServiceKitModule.forService('${name}', ${pascal}Config)],
  controllers: [${pascal}Controller],
  // Deliveries and resets run one at a time, in the order they arrive.
  providers: [SerialQueue, ${pascal}Repository, ${pascal}Service],
})
export class ${pascal}Module {}
`,
    [`${name}.controller.ts`]: `import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { PATTERNS, RelayedEvent, SearchQueryDto } from '@app/contracts';
import { Delivery, Message } from '@app/transport';
import { ${pascal}Service } from './${name}.service';

/** The service's message handlers: thin, each hands the validated message to the service. */
@Controller()
export class ${pascal}Controller {
  constructor(private readonly service: ${pascal}Service) {}

  /** The question GET /search asks, with the same query fields (q, page, limit). */
  @MessagePattern(${patterns}.query)
  query(@Message() query: SearchQueryDto) {
    return this.service.query(query);
  }

  /** Events the relay delivers from the event log, in order. */
  @MessagePattern(${patterns}.applyEvents)
  apply(@Delivery() events: RelayedEvent[]) {
    return this.service.apply(events);
  }

  /** Forgets everything, before a replay of the log (npm run sync -- replay --service ${name}). */
  @MessagePattern(${patterns}.reset)
  reset() {
    return this.service.reset();
  }
}
`,
    [`${name}.repository.ts`]: `import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { SearchHit } from '@app/contracts';
import { InjectDb, VersionedDocument, applyAtPosition, deleteChangedBefore } from '@app/data';

export const ${name.replace(/-/g, '_').toUpperCase()}_POSTS_COLLECTION = 'posts';

/** The service's own copy of a post: what a search hit shows and ranks by. */
export interface ${pascal}PostDocument extends SearchHit, VersionedDocument {}

/** The service's posts, keyed by post id in \`_id\`. The only code of the service that touches the driver. */
@Injectable()
export class ${pascal}Repository {
  private readonly posts: Collection<${pascal}PostDocument>;

  constructor(@InjectDb() db: Db) {
    this.posts = db.collection<${pascal}PostDocument>(${name.replace(/-/g, '_').toUpperCase()}_POSTS_COLLECTION);
  }

  /** Every post the service keeps. */
  all(): Promise<SearchHit[]> {
    return this.posts
      .find({}, { projection: { _id: 0, id: 1, title: 1, score: 1, num_comments: 1, permalink: 1 } })
      .toArray();
  }

  /** Stores a post as of stream \`position\`, unless that event or a later one was applied already. */
  applySnapshot(hit: SearchHit, position: number): Promise<boolean> {
    return applyAtPosition(this.posts, hit.id, position, hit, { upsert: true });
  }

  /** Removes the posts a bulk reset at stream \`position\` removed. */
  dropPostsBefore(position: number): Promise<void> {
    return deleteChangedBefore(this.posts, position);
  }

  async clear(): Promise<void> {
    await this.posts.deleteMany({});
  }
}
`,
    [`${name}.service.ts`]: `import { Injectable } from '@nestjs/common';
import {
  ApplyEventsResult,
  EVENTS,
  PostCreatedPayload,
  RelayedEvent,
  SearchQueryDto,
  SearchResult,
} from '@app/contracts';
import { NotImplementedError } from '@app/platform';
import { SerialQueue, applyInOrder } from '@app/transport';
import { ${pascal}Repository } from './${name}.repository';

@Injectable()
export class ${pascal}Service {
  constructor(
    private readonly posts: ${pascal}Repository,
    private readonly writes: SerialQueue,
  ) {}

  /**
   * Answers GET /search from the posts this service keeps (this.posts.all()).
   * Write it in step 06 (${PRACTICE_STEP_FILE}); \`npm run workshop -- check 06\`
   * compares its answers with the monolith's.
   */
  async query(query: SearchQueryDto): Promise<SearchResult> {
    throw new NotImplementedError(
      \`${name} cannot answer "\${query.q}" yet: write ${pascal}Service.query, see ${PRACTICE_STEP_FILE}\`,
    );
  }

  /** Keeps a copy of each post the monolith creates or changes, and forgets them on a bulk reset. */
  apply(events: readonly RelayedEvent[]): Promise<ApplyEventsResult> {
    const snapshot = (event: RelayedEvent) => {
      const { id, title, score, num_comments, permalink } = event.payload as PostCreatedPayload;
      return this.posts.applySnapshot({ id, title, score, num_comments, permalink }, event.position);
    };
    return this.writes.run(() =>
      applyInOrder(events, {
        [EVENTS.postCreated]: snapshot,
        [EVENTS.postUpdated]: snapshot,
        [EVENTS.postsDropped]: async (event) => {
          await this.posts.dropPostsBefore(event.position);
          return true;
        },
      }),
    );
  }

  reset(): Promise<void> {
    return this.writes.run(() => this.posts.clear());
  }
}
`,
    [`${name}.service.spec.ts`]: `import { INestApplication } from '@nestjs/common';
import { EVENTS, PATTERNS, domainEvent } from '@app/contracts';
import { ServiceClient, createServiceClient } from '@app/transport';
import { aPost } from '../../../test/support/builders';
import { EventStream, postCreated, postUpdated } from '../../../test/support/events';
import { clientEnv, startService, transportEnv } from '../../../test/support/services';
import { openTestDb } from '../../../test/support/store';
import { ${pascal}Config } from './${name}.config';
import { ${pascal}Module } from './${name}.module';

describe('${name} service', () => {
  let testDb: Awaited<ReturnType<typeof openTestDb>>;
  let app: INestApplication | undefined;
  let client: ServiceClient;
  const stream = new EventStream();
  const apply = (delivery: ReturnType<EventStream['deliver']>) => client.send(${patterns}.applyEvents, delivery);
  const kept = async () =>
    (await testDb.db.collection('posts').find({}, { sort: { _id: 1 } }).toArray()).map(({ _id, title }) => ({
      _id,
      title,
    }));

  beforeAll(async () => {
    const env = await transportEnv('tcp');
    testDb = await openTestDb('${n.database}');
    app = await startService('${name}', ${pascal}Module, ${pascal}Config, env, testDb.dbName);
    client = createServiceClient('${name}', clientEnv(env));
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await testDb?.close();
  });

  it('answers its health check', async () => {
    await expect(client.send(${patterns}.health, {})).resolves.toMatchObject({ status: 'ok', service: '${name}' });
  });

  it('keeps its own copy of each post it is sent, applying a delivery once', async () => {
    const delivery = stream.deliver(postCreated(aPost({ id: 'p1', title: 'Python tips' })));
    await expect(apply(delivery)).resolves.toEqual({ applied: 1, skipped: 0 });
    await expect(apply(delivery)).resolves.toEqual({ applied: 0, skipped: 1 });
    await apply(stream.deliver(postUpdated(aPost({ id: 'p1', title: 'Python tricks' }))));
    expect(await kept()).toEqual([{ _id: 'p1', title: 'Python tricks' }]);
  });

  it('forgets the posts a bulk reset removed, and every post on reset', async () => {
    await apply(stream.deliver(domainEvent(EVENTS.postsDropped, 'posts', {})));
    await apply(stream.deliver(postCreated(aPost({ id: 'p2', title: 'After the reset' }))));
    expect(await kept()).toEqual([{ _id: 'p2', title: 'After the reset' }]);
    await client.send(${patterns}.reset, {});
    expect(await kept()).toEqual([]);
  });
});
`,
  };
}
