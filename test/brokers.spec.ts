import { brokerAddress, brokerVerdict } from '../scripts/lib/brokers';

describe('broker probes', () => {
  it('take host and port from the *_URL variables, else 127.0.0.1 and the default port', () => {
    expect(brokerAddress('redis', { REDIS_URL: 'redis://redis:6390/2' })).toEqual({ host: 'redis', port: 6390 });
    expect(brokerAddress('rmq', { RABBITMQ_URL: 'amqp://guest:guest@rabbitmq' })).toEqual({
      host: 'rabbitmq',
      port: 5672,
    });
    expect(brokerAddress('nats', {})).toEqual({ host: '127.0.0.1', port: 4222 });
  });

  it('run a transport whose broker answered, and tcp, which needs none', () => {
    expect(brokerVerdict('mqtt', { TEST_BROKERS_DOWN: 'redis' })).toEqual({ run: true });
    expect(brokerVerdict('tcp', { TEST_BROKERS_DOWN: 'redis' })).toEqual({ run: true });
  });

  it('skip a transport whose broker is missing, naming where it was looked for', () => {
    expect(brokerVerdict('redis', { TEST_BROKERS_DOWN: 'redis,nats' })).toEqual({
      run: false,
      skip: 'no redis broker at 127.0.0.1:6379 (REDIS_URL)',
    });
  });

  it('under CI=true, fail instead of skipping', () => {
    expect(brokerVerdict('nats', { TEST_BROKERS_DOWN: 'nats', CI: 'true', NATS_URL: 'nats://nats:4222' })).toEqual({
      run: false,
      fail: 'no nats broker at nats:4222 (NATS_URL); CI=true needs every broker',
    });
  });
});
