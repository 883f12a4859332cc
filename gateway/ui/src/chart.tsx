import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a'];

export interface TimeSeries {
  /** Seconds since the epoch. */
  times: number[];
  series: { label: string; values: (number | null)[] }[];
}

/** A uPlot line chart of a few series over time; `summary` is what a screen reader announces instead. */
export function TimeChart(props: { title: string; unit: string; data: TimeSeries; summary: string }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const labels = props.data.series.map((s) => s.label).join('\u0000');

  useEffect(() => {
    const element = host.current as HTMLDivElement;
    const chart = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height: 200,
        legend: { show: true },
        scales: { x: { time: true } },
        axes: [{}, { label: props.unit, size: 60 }],
        series: [
          {},
          ...props.data.series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2 })),
        ],
      },
      [props.data.times, ...props.data.series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, element.clientWidth), height: 200 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // A new set of series needs a new chart; new points only need new data.
  }, [labels, props.unit]);

  useEffect(() => {
    plot.current?.setData([props.data.times, ...props.data.series.map((s) => s.values)] as uPlot.AlignedData);
  }, [props.data]);

  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={host} role="img" aria-label={`${props.title}: ${props.summary}`} />
    </figure>
  );
}
