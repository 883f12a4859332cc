import { UsageError, choiceOption, integerOption, noExtraArguments, parseCommandLine } from './command-line';

describe('parseCommandLine', () => {
  it('reads long options and positionals', () => {
    const { values, positionals } = parseCommandLine(['a.json', '--drop', '--batch-size', '10', '--name=x'], {
      drop: { type: 'boolean' },
      'batch-size': { type: 'string' },
      name: { type: 'string' },
    });
    expect(values).toEqual({ drop: true, 'batch-size': '10', name: 'x' });
    expect(positionals).toEqual(['a.json']);
  });

  it.each([
    [['--fast'], /Unknown option '--fast'/],
    [['--count'], /Option '--count <value>' argument missing/],
    [['--count', '--drop'], /argument is ambiguous/],
  ])('turns %j into a UsageError naming the problem', (argv, message) => {
    const parse = () => parseCommandLine(argv, { count: { type: 'string' }, drop: { type: 'boolean' } });
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });
});

describe('noExtraArguments', () => {
  it('refuses the first positional beyond the expected ones', () => {
    expect(() => noExtraArguments(['replay'], 1)).not.toThrow();
    expect(() => noExtraArguments(['replay', 'now'], 1)).toThrow('unexpected argument "now"');
  });
});

describe('integerOption', () => {
  it('gives the fallback when absent and the number when within bounds', () => {
    expect(integerOption(undefined, 'count', 1, 10, 5)).toBe(5);
    expect(integerOption('10', 'count', 1, 10, 5)).toBe(10);
  });

  it.each([
    ['11', 1, 10, '--count must be a whole number from 1 to 10, got "11"'],
    ['1e3', 1, 10, '--count must be a whole number from 1 to 10, got "1e3"'],
    ['0', 1, Number.MAX_SAFE_INTEGER, '--count must be a positive whole number, got "0"'],
    ['-1', 0, Number.MAX_SAFE_INTEGER, '--count must be a whole number of at least 0, got "-1"'],
  ])('refuses %s with a message saying what it takes', (value, min, max, message) => {
    expect(() => integerOption(value, 'count', min, max, 1)).toThrow(new UsageError(message));
  });
});

describe('choiceOption', () => {
  it('takes one of the choices, or the fallback when absent', () => {
    expect(choiceOption(undefined, 'part', ['all', 'relay'], 'all')).toBe('all');
    expect(choiceOption('relay', 'part', ['all', 'relay'], 'all')).toBe('relay');
    expect(() => choiceOption('search', 'part', ['all', 'relay'], 'all')).toThrow(
      '--part must be one of all, relay, got "search"',
    );
  });
});
