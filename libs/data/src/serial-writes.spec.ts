import { SerialWrites } from './serial-writes';

describe('SerialWrites', () => {
  it('runs the writes of one key one after another, in the order they came', async () => {
    const serial = new SerialWrites();
    const log: string[] = [];
    const write = (name: string, gate: Promise<void>) => async () => {
      log.push(`start ${name}`);
      await gate;
      log.push(`end ${name}`);
      return name;
    };
    let open!: () => void;
    const first = serial.run('k', write('a', new Promise((resolve) => (open = resolve))));
    const second = serial.run('k', write('b', Promise.resolve()));
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('lets writes of other keys run meanwhile, and a failed write not stop the next', async () => {
    const serial = new SerialWrites();
    const blocked = serial.run(
      'k',
      () => new Promise<never>((_, reject) => setImmediate(() => reject(new Error('x')))),
    );
    expect(await serial.run('other', async () => 'free')).toBe('free');
    await expect(blocked).rejects.toThrow('x');
    expect(await serial.run('k', async () => 'after')).toBe('after');
  });
});
