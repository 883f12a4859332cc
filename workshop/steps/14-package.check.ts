import { parse } from 'yaml';
import { REGISTRY } from '@app/registry';
import { CheckContext, Expectation, expectation } from '../src/check-kit';

export const DEPLOY_LOG = '.data/workshop/deploy-check.log';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const log = context.read(DEPLOY_LOG);
  const checkedAt = context.modifiedMs(DEPLOY_LOG) ?? 0;
  const registryAt = context.modifiedMs('libs/registry/registry.json') ?? Infinity;
  const compose = parse(context.read('docker/compose.yaml') ?? '{}') as { services?: Record<string, unknown> };
  const helm = parse(context.read('docker/helm/strangler/values.yaml') ?? '{}') as {
    components?: Record<string, unknown>;
  };
  const names = Object.keys(REGISTRY);
  const missing = [
    ...names.filter((name) => !compose.services?.[name]).map((name) => `compose: ${name}`),
    ...names.filter((name) => !helm.components?.[name]).map((name) => `helm: ${name}`),
  ];
  return [
    expectation(
      'compose and the Helm values run every process of the registry, your service included',
      missing.length === 0,
      'npm run registry regenerates them from libs/registry',
      missing.join(', ') || undefined,
    ),
    expectation(
      `the offline deploy check ran after the last change to the registry (${DEPLOY_LOG})`,
      log !== undefined && checkedAt >= registryAt,
      'run the npm run deploy:check line of this step',
    ),
    expectation(
      'every deploy check passed',
      log !== undefined && /^ok\s/m.test(log) && !/^FAILED/m.test(log),
      `read ${DEPLOY_LOG}: each FAILED line says what is wrong`,
    ),
  ];
}
