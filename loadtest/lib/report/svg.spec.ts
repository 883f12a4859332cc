import { expectWellFormedSvg } from '../testing/report';
import { barChart, chooseScale, escapeXml } from './svg';

const spec = {
  title: 'Throughput & latency <per endpoint>',
  groups: ['GET /search', 'GET /posts/:id'],
  series: [
    { name: 'before', color: '#3b6fb6' },
    { name: 'after', color: '#2e9d5a' },
  ],
  panels: [
    {
      title: 'req/s',
      values: [
        [[80], [320]],
        [[400], []],
      ],
      labels: [
        ['80', '320'],
        ['400', ''],
      ],
    },
    {
      title: 'latency',
      layers: [
        { name: 'p99', opacity: 0.3 },
        { name: 'p50', opacity: 1 },
      ],
      values: [
        [
          [50, 12.5],
          [12, 3],
        ],
        [
          [10, 2.5],
          [10, 2.5],
        ],
      ],
      labels: [
        ['12.5 / 50', '3 / 12'],
        ['2.5 / 10', '2.5 / 10'],
      ],
    },
  ],
};

describe('barChart', () => {
  const svg = barChart(spec);

  it('writes well-formed SVG with escaped text', () => {
    expectWellFormedSvg(svg);
    expect(svg).toContain('Throughput &amp; latency &lt;per endpoint&gt;');
  });

  it('draws one bar per value in the series colour, layered values with their opacity', () => {
    const bars = [
      ...svg.matchAll(
        /<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="14" fill="(#[0-9a-f]+)"(?: fill-opacity="([\d.]+)")?\/>/g,
      ),
    ];
    expect(bars).toHaveLength(3 + 8);
    expect(bars.filter(([, , color]) => color === '#2e9d5a')).toHaveLength(1 + 4);
    expect(bars.filter(([, , , opacity]) => opacity === '0.3')).toHaveLength(4);
  });

  it('makes bar lengths proportional to the values on a linear scale', () => {
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="14" fill="#[0-9a-f]+"\/>/g)]
      .slice(0, 3)
      .map(([, w]) => Number(w));
    expect(widths[1] / widths[0]).toBeCloseTo(4, 1);
    expect(widths[2] / widths[0]).toBeCloseTo(5, 1);
  });

  it('prints each label next to its bar and names every group and series', () => {
    for (const text of ['320', '12.5 / 50', 'GET /posts/:id', 'before', 'after', 'p99'])
      expect(svg).toContain(`>${text}</text>`);
  });
});

describe('chooseScale', () => {
  it('stays linear from zero while values are within a factor of 30', () => {
    const scale = chooseScale([10, 200]);
    expect(scale.kind).toBe('linear');
    expect(scale.at(0)).toBe(0);
    expect(scale.at(100)).toBeCloseTo(scale.at(200) / 2, 10);
  });

  it('starts a logarithmic axis below its smallest value, so that value still shows', () => {
    const scale = chooseScale([1, 900]);
    expect(scale.ticks[0]).toBe(0.1);
    expect(scale.at(1)).toBeGreaterThan(0);
  });

  it('turns logarithmic with decade ticks when values span more', () => {
    const scale = chooseScale([2, 5000]);
    expect(scale.kind).toBe('log');
    expect(scale.ticks).toEqual([1, 10, 100, 1000, 10000]);
    expect(scale.at(100)).toBeCloseTo(0.5, 10);
  });
});

describe('escapeXml', () => {
  it('escapes the characters that would break markup', () => {
    expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
  });
});
