// The gateway's JSON as the page reads it: the server's own types, imported for their shape only
// (type imports leave nothing in the bundle).
import type { Overview } from '../../src/dashboard/overview.service';
import type { RouteReport } from '../../src/delivery/delivery-monitor.service';
import type { WindowFigures } from '../../src/delivery/verdict-window';
import type { BreakerState, TrafficCounts } from '../../src/metrics/gateway-metrics';
import type { AuditEntry } from '../../src/routes/audit-log';
import type { RouteView } from '../../src/routes/route-table.service';
import type { RouteState } from '../../src/routes/route-table';
import type { DriftReport } from '../../../extracted/sync/src/reconcile/reconcile.service';

export type {
  AuditEntry,
  BreakerState,
  DriftReport,
  Overview,
  RouteReport,
  RouteState,
  RouteView,
  TrafficCounts,
  WindowFigures,
};
