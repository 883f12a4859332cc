import { eventually } from './eventually';

describe('eventually', () => {
  it('probes until the answer is accepted and resolves with it', async () => {
    let calls = 0;
    const answer = await eventually(
      () => ++calls,
      (count) => count === 3,
      15_000,
      1,
    );
    expect(answer).toBe(3);
    expect(calls).toBe(3);
  });

  it('resolves with the last answer when the time is up', async () => {
    let calls = 0;
    const answer = await eventually(
      async () => ++calls,
      () => false,
      0,
      1,
    );
    expect(answer).toBe(calls);
    expect(answer).toBeGreaterThanOrEqual(1);
  });

  it('ends the wait with the error of a probe that throws', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('the process exited');
        },
        () => true,
      ),
    ).rejects.toThrow('the process exited');
  });
});
