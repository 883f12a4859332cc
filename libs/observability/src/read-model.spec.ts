import { Registry } from 'prom-client';
import { registerReadModel } from './read-model';

describe('registerReadModel', () => {
  it('exposes each model of a registry under the same two gauges, read when scraped', async () => {
    const registry = new Registry();
    let documents = 1;
    registerReadModel(registry, 'ranking', () => ({ documents, bytes: documents * 100 }));
    registerReadModel(registry, 'audience', () => ({ documents: 7, bytes: 70 }));
    documents = 3;
    const text = await registry.metrics();
    expect(text).toContain('read_model_documents{model="ranking"} 3');
    expect(text).toContain('read_model_bytes{model="ranking"} 300');
    expect(text).toContain('read_model_documents{model="audience"} 7');
    expect(text).toContain('read_model_bytes{model="audience"} 70');
  });

  it('reports that a model was rebuilt, and hands back what the rebuild gave', async () => {
    const registry = new Registry();
    const metrics = registerReadModel(registry, 'index', () => ({ documents: 0, bytes: 0 }));
    expect(await metrics.timeRebuild(async () => 'done')).toBe('done');
    expect(await registry.metrics()).toMatch(/read_model_rebuild_seconds\{model="index"\} \d/);
  });
});
