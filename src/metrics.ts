import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per app instance (tests run several in one process). */
export class Metrics {
  readonly registry = new Registry();
  readonly updates = new Counter({
    name: 'bot_updates_total',
    help: 'Platform updates by channel and outcome (handled, duplicate, ignored, error).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly stepSeconds = new Histogram({
    name: 'bot_step_duration_seconds',
    help: 'Time to run one conversation step, including database reads and writes.',
    labelNames: ['flow'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'bot_errors_total',
    help: 'Errors by where they happened.',
    labelNames: ['where'] as const,
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }
}
