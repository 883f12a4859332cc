import { Gauge, Registry } from 'prom-client';

/** How much an in-memory read model holds. */
export interface ReadModelSize {
  documents: number;
  /** Approximate heap bytes, as the model estimates them. */
  bytes: number;
}

const models = new WeakMap<Registry, Map<string, () => ReadModelSize>>();

/**
 * Exposes a read model's size as `read_model_documents` and
 * `read_model_bytes`, labelled by `model`, read when scraped. Several models
 * of one process share the two gauges.
 */
export function registerReadModel(registry: Registry, model: string, size: () => ReadModelSize): void {
  let sizes = models.get(registry);
  if (!sizes) {
    const known = new Map<string, () => ReadModelSize>();
    sizes = known;
    models.set(registry, known);
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
  }
  sizes.set(model, size);
}
