import { UsageError } from '@app/config';
import { parseDuration, parseLoadtestArgs, settingsOf } from './options';

describe('parseLoadtestArgs', () => {
  it('runs direct, before and after of the mixed scenario for 20 s at 50 connections on the store’s default size', () => {
    expect(parseLoadtestArgs([])).not.toHaveProperty('posts');
    expect(settingsOf(parseLoadtestArgs([]), 1000)).toEqual({
      scenario: 'mixed',
      stages: ['direct', 'before', 'after'],
      durationSeconds: 20,
      warmupSeconds: 3,
      connections: 50,
      maxRequests: 100000,
      posts: 1000,
    });
    expect(settingsOf(parseLoadtestArgs([]), 10_000).posts).toBe(10_000);
    expect(parseLoadtestArgs(['--compare']).stages).toEqual(['direct', 'before', 'after']);
  });

  it('takes a scenario, a list of stages, sizes and durations', () => {
    const options = parseLoadtestArgs([
      '--scenario',
      'reads',
      '--stage',
      'before,after',
      '--duration',
      '2s',
      '--warmup',
      '500ms',
      '--connections',
      '2',
      '--posts',
      '200',
      '--requests',
      '300',
      '--name',
      'tiny',
    ]);
    expect(options).toMatchObject({
      scenario: 'reads',
      stages: ['before', 'after'],
      durationSeconds: 2,
      warmupSeconds: 0.5,
      connections: 2,
      posts: 200,
      maxRequests: 300,
      name: 'tiny',
    });
    expect(settingsOf(options, 10_000).posts).toBe(200);
  });

  it('flips the search route every sixth of the duration unless told otherwise, in the gateway stages only', () => {
    expect(parseLoadtestArgs(['--scenario', 'flip', '--duration', '30s'])).toMatchObject({
      stages: ['before', 'after'],
      flip: { route: 'search', everySeconds: 5 },
    });
    expect(parseLoadtestArgs(['--scenario', 'flip', '--route', 'engagement', '--flip-every', '1s']).flip).toEqual({
      route: 'engagement',
      everySeconds: 1,
    });
  });

  it.each([
    [['--scenario', 'spiky'], /--scenario must be one of reads, writes, mixed, flip/],
    [['--stage', 'later'], /--stage must be among direct, before, after/],
    [['--stage', 'before,before'], /twice/],
    [['--compare', '--stage', 'after'], /--compare runs every stage/],
    [['--scenario', 'flip', '--stage', 'direct'], /before and after stages only/],
    [['--route', 'search'], /only applies to the flip scenario/],
    [['--scenario', 'flip', '--route', 'posts'], /--route must be one of/],
    [['--connections', '0'], /--connections must be a positive whole number/],
    [['--posts', '1e5'], /--posts must be a positive whole number/],
    [['--duration', 'soon'], /--duration must be a duration/],
    [['--duration'], /Option '--duration <value>' argument missing/],
    [['--name', '../x'], /--name must be/],
    [['--fast', '1'], /Unknown option '--fast'/],
    [['reads'], /unexpected argument "reads"/],
  ])('rejects %j with a message naming the problem', (argv, message) => {
    expect(() => parseLoadtestArgs(argv)).toThrow(UsageError);
    expect(() => parseLoadtestArgs(argv)).toThrow(message);
  });
});

describe('parseDuration', () => {
  it('reads seconds, minutes, milliseconds and bare numbers of seconds', () => {
    expect([
      parseDuration('20s', 'x'),
      parseDuration('1m', 'x'),
      parseDuration('250ms', 'x'),
      parseDuration('7', 'x'),
    ]).toEqual([20, 60, 0.25, 7]);
  });
});
