import { DASH, latency, percent, time } from './format';
import type { RouteReport, WindowFigures } from './types';

function Side(props: { name: string; side: WindowFigures }) {
  const { side } = props;
  return (
    <li>
      <strong>{props.name}</strong>: {side.requests} requests, {percent(side.errorRate)} errors, p99{' '}
      {side.p99Ms === null ? DASH : latency(side.p99Ms / 1000)}
    </li>
  );
}

/** How a shadowed or canaried route's candidate compares with its target: the verdict window, the shadow's diffs, the promotion. */
export function RouteReportView(props: { report: RouteReport }) {
  const { report } = props;
  const { shadow } = report;
  return (
    <div class="report" data-report={report.name}>
      <h3>
        {report.name}: {report.target} vs {report.candidate ?? DASH}
      </h3>
      <ul class="traffic">
        <Side name={`${report.target} (baseline)`} side={report.window.monolith} />
        <Side name={`${report.candidate ?? 'candidate'} (candidate)`} side={report.window.candidate} />
      </ul>
      <p>
        Shadow match rate: <strong data-figure="match-rate">{percent(shadow.matchRate)}</strong> of {shadow.compared}{' '}
        compared
        {shadow.failed ? `, ${shadow.failed} failed` : ''}
        {shadow.skipped ? `, ${shadow.skipped} skipped` : ''}
        {shadow.noiseFields.length > 0 && <> (ignoring {shadow.noiseFields.join(', ')})</>}
      </p>
      {shadow.fields.length > 0 && (
        <p>
          Fields that differ:{' '}
          {shadow.fields
            .slice(0, 5)
            .map((field) => `${field.path} (${percent(field.rate)})`)
            .join(', ')}
        </p>
      )}
      {shadow.examples.length > 0 && (
        <details>
          <summary>Example differences ({shadow.examples.length})</summary>
          {shadow.examples.map((example, i) => (
            <div class="example" key={`${example.at}-${i}`}>
              <p>
                {time(example.at)} <code>{example.url}</code>: {example.paths.join(', ')}
              </p>
              <div class="sides">
                <div>
                  <p>
                    {report.target} ({example.target.status})
                  </p>
                  <pre>{example.target.body}</pre>
                </div>
                <div>
                  <p>
                    {report.candidate} ({example.candidate.status})
                  </p>
                  <pre>{example.candidate.body}</pre>
                </div>
              </div>
            </div>
          ))}
        </details>
      )}
      {report.promotion && (
        <p>
          Promotion steps {report.promotion.steps.join(' → ')}%
          {report.promotion.nextAt ? `; next step at ${time(report.promotion.nextAt)}` : ''}
        </p>
      )}
      {report.lastVerdict && (
        <p>
          Last verdict ({time(report.lastVerdict.at)}): <strong>{report.lastVerdict.verdict}</strong>
          {report.lastVerdict.reason ? `: ${report.lastVerdict.reason}` : ''}
        </p>
      )}
    </div>
  );
}
