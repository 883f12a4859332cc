import { formatDeltaMs, formatMicros, formatMs, formatRatio, formatRps, ratio } from './format';

describe('number formats', () => {
  it('shows req/s whole from 100 up, with one decimal from 1 up, and two significant digits below', () => {
    expect([formatRps(1234.56), formatRps(99.94), formatRps(0.0493), formatRps(0)]).toEqual([
      '1235',
      '99.9',
      '0.049',
      '0',
    ]);
  });

  it('shows milliseconds with at most three significant digits', () => {
    expect([formatMs(812.4), formatMs(12.44), formatMs(3.166), formatMs(0.42)]).toEqual([
      '812',
      '12.4',
      '3.17',
      '0.42',
    ]);
  });

  it('signs latency differences and writes ratios with a times sign', () => {
    expect([formatDeltaMs(1.5), formatDeltaMs(-0.25), formatRatio(0.4567), formatRatio(12.34)]).toEqual([
      '+1.50',
      '-0.25',
      '0.46×',
      '12.3×',
    ]);
    expect([formatMicros(210.4), formatMicros(3.14)]).toEqual(['210', '3.1']);
  });

  it('keeps two significant digits of very small ratios', () => {
    expect([formatRatio(0.0012345), formatRatio(0)]).toEqual(['0.0012×', '0.00×']);
  });

  it('writes n/a where a number is missing, and has no ratio to a zero', () => {
    expect([formatRps(undefined), formatMs(Number.NaN), formatRatio(ratio(0, 5))]).toEqual(['n/a', 'n/a', 'n/a']);
    expect(ratio(4, 5)).toBe(1.25);
  });
});
