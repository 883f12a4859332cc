/**
 * Horizontal grouped bar charts as plain SVG: one row of bars per group
 * (an endpoint, a process), one bar per series (a stage), and one or more
 * panels side by side sharing the group labels. No chart library: the
 * output is small, deterministic and diff-friendly.
 */

export interface Series {
  name: string;
  color: string;
}

export interface Layer {
  name: string;
  opacity: number;
}

export interface Panel {
  title: string;
  /** [group][series] -> values drawn back to front from the same baseline (e.g. p99, p90, p50); none: no bar. */
  values: number[][][];
  /** [group][series] -> text at the end of the bar. */
  labels: string[][];
  /** Names of the drawn values, when a bar shows more than one. */
  layers?: Layer[];
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  groups: string[];
  series: Series[];
  panels: Panel[];
}

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const LABEL_WIDTH = 240;
const PANEL_WIDTH = 410;
const VALUE_ROOM = 125;
const BAR_HEIGHT = 14;
const BAR_GAP = 2;
const GROUP_GAP = 14;
const HEADER = 104;
const FOOTER = 34;
const MARGIN = 16;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const round = (value: number) => Math.round(value * 10) / 10;

interface Scale {
  kind: 'linear' | 'log';
  ticks: number[];
  /** Position in [0, 1] along the bar area. */
  at(value: number): number;
}

function niceStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough);
  return step ?? 10 * power;
}

/** Linear from zero, unless the values span more than a factor of 30: then logarithmic, so small bars stay visible. */
export function chooseScale(values: readonly number[]): Scale {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  const max = positive.length ? Math.max(...positive) : 1;
  const min = positive.length ? Math.min(...positive) : 1;
  if (max / min > 30) {
    // A smallest value that is a power of ten still gets a visible bar: the axis starts a decade below it.
    const low = Math.floor(Math.log10(min) - 1e-9);
    const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
    const ticks = Array.from({ length: high - low + 1 }, (_, i) => 10 ** (low + i));
    return {
      kind: 'log',
      ticks,
      at: (value) => (value <= 0 ? 0 : Math.min(1, Math.max(0, (Math.log10(value) - low) / (high - low)))),
    };
  }
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return { kind: 'linear', ticks, at: (value) => Math.min(1, Math.max(0, value / top)) };
}

function tickLabel(value: number): string {
  if (value >= 1_000_000) return `${value / 1_000_000}M`;
  if (value >= 1000) return `${value / 1000}k`;
  return String(Number(value.toPrecision(3)));
}

function legend(spec: ChartSpec, y: number): string {
  const parts: string[] = [];
  let x = MARGIN;
  for (const series of spec.series) {
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${series.color}"/>`);
    parts.push(`<text x="${x + 16}" y="${y}" font-size="12" ${FONT}>${escapeXml(series.name)}</text>`);
    x += 28 + series.name.length * 7;
  }
  const layers = spec.panels.find((panel) => panel.layers)?.layers ?? [];
  if (layers.length) x += 24;
  for (const layer of layers) {
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="#555" fill-opacity="${layer.opacity}"/>`);
    parts.push(`<text x="${x + 16}" y="${y}" font-size="12" ${FONT}>${escapeXml(layer.name)}</text>`);
    x += 28 + layer.name.length * 7;
  }
  return parts.join('\n');
}

export function barChart(spec: ChartSpec): string {
  const groupHeight = spec.series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
  const rowsHeight = spec.groups.length * (groupHeight + GROUP_GAP);
  const width = MARGIN + LABEL_WIDTH + spec.panels.length * PANEL_WIDTH + MARGIN;
  const height = HEADER + rowsHeight + FOOTER;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="24" font-size="16" font-weight="bold" ${FONT}>${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle)
    out.push(`<text x="${MARGIN}" y="44" font-size="12" fill="#555" ${FONT}>${escapeXml(spec.subtitle)}</text>`);
  out.push(legend(spec, 68));

  spec.groups.forEach((group, g) => {
    const y = HEADER + g * (groupHeight + GROUP_GAP) + groupHeight / 2 + 4;
    out.push(
      `<text x="${MARGIN + LABEL_WIDTH - 10}" y="${round(y)}" font-size="12" text-anchor="end" ${FONT}>${escapeXml(group)}</text>`,
    );
  });

  spec.panels.forEach((panel, p) => {
    const left = MARGIN + LABEL_WIDTH + p * PANEL_WIDTH;
    const barWidth = PANEL_WIDTH - VALUE_ROOM;
    const scale = chooseScale(panel.values.flat(2));
    const title = `${panel.title}${scale.kind === 'log' ? ' (log scale)' : ''}`;
    out.push(
      `<text x="${left}" y="${HEADER - 12}" font-size="13" font-weight="bold" ${FONT}>${escapeXml(title)}</text>`,
    );
    for (const tick of scale.ticks) {
      const x = round(left + scale.at(tick) * barWidth);
      out.push(
        `<line x1="${x}" y1="${HEADER - 4}" x2="${x}" y2="${HEADER + rowsHeight - GROUP_GAP + 4}" stroke="#ddd"/>`,
      );
      out.push(
        `<text x="${x}" y="${HEADER + rowsHeight - GROUP_GAP + 18}" font-size="10" fill="#555" text-anchor="middle" ${FONT}>${tickLabel(tick)}</text>`,
      );
    }
    spec.groups.forEach((_group, g) => {
      spec.series.forEach((series, s) => {
        const y = HEADER + g * (groupHeight + GROUP_GAP) + s * (BAR_HEIGHT + BAR_GAP);
        const values = panel.values[g]?.[s] ?? [];
        values.forEach((value, layer) => {
          const opacity = panel.layers?.[layer]?.opacity ?? 1;
          const w = round(scale.at(value) * barWidth);
          const translucent = opacity < 1 ? ` fill-opacity="${opacity}"` : '';
          out.push(
            `<rect x="${left}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="${series.color}"${translucent}/>`,
          );
        });
        const end = values.length ? Math.max(...values.map((value) => scale.at(value))) : 0;
        const label = panel.labels[g]?.[s] ?? '';
        out.push(
          `<text x="${round(left + end * barWidth + 4)}" y="${y + BAR_HEIGHT - 3}" font-size="11" ${FONT}>${escapeXml(label)}</text>`,
        );
      });
    });
    out.push(
      `<line x1="${left}" y1="${HEADER - 4}" x2="${left}" y2="${HEADER + rowsHeight - GROUP_GAP + 4}" stroke="#333"/>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
