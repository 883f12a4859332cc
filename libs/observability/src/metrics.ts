import { Registry, collectDefaultMetrics } from 'prom-client';

/** A process's Prometheus registry with the default Node metrics, labelled by service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
