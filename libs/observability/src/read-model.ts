import { Gauge, Registry } from 'prom-client';

/** How much an in-memory read model holds. */
export interface ReadModelSize {
  documents: number;
  /** Approximate heap bytes, as the model estimates them. */
  bytes: number;
}

/** What a registered read model reports besides its size. */
export interface ReadModelMetrics {
  /** Runs a rebuild of the model (e.g. from the store at start) and reports how long it took. */
  timeRebuild<T>(rebuild: () => Promise<T>): Promise<T>;
}

interface RegistryModels {
  sizes: Map<string, () => ReadModelSize>;
  rebuildSeconds: Gauge;
}

const models = new WeakMap<Registry, RegistryModels>();

/**
 * Exposes a read model's size as `read_model_documents` and
 * `read_model_bytes`, labelled by `model`, read when scraped, and the
 * duration of its last rebuild as `read_model_rebuild_seconds`. Several
 * models of one process share the gauges.
 */
export function registerReadModel(registry: Registry, model: string, size: () => ReadModelSize): ReadModelMetrics {
  let registered = models.get(registry);
  if (!registered) {
    const known = new Map<string, () => ReadModelSize>();
    const gauge = (name: string, help: string, pick: (size: ReadModelSize) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['model'],
        registers: [registry],
        collect() {
          for (const [label, measure] of known) this.set({ model: label }, pick(measure()));
        },
      });
    gauge('read_model_documents', 'Documents held in memory by a read model', (s) => s.documents);
    gauge('read_model_bytes', 'Approximate heap bytes held by a read model', (s) => s.bytes);
    const rebuildSeconds = new Gauge({
      name: 'read_model_rebuild_seconds',
      help: 'Duration of the last rebuild of a read model from its store',
      labelNames: ['model'],
      registers: [registry],
    });
    registered = { sizes: known, rebuildSeconds };
    models.set(registry, registered);
  }
  registered.sizes.set(model, size);
  const { rebuildSeconds } = registered;
  return {
    async timeRebuild<T>(rebuild: () => Promise<T>): Promise<T> {
      const started = performance.now();
      const result = await rebuild();
      rebuildSeconds.set({ model }, (performance.now() - started) / 1000);
      return result;
    },
  };
}
