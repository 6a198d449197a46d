import { randomUUID } from 'node:crypto';
import type { Claims } from '../db/claims.js';
import type { JobLeaseModel } from '../db/models/job-lease.js';
import type { Logger } from '../logger.js';
import { errorMessage } from '../errors.js';

export interface Job {
  name: string;
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

/**
 * Runs periodic jobs once per period across all instances: periods are counted
 * from the epoch in steps of `everyMs`, and an instance runs a job only if its
 * single-use claim on (job, period) is the first (a unique insert, see Claims).
 * A job that fails is retried at its next period; the error is recorded.
 */
export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly owner = randomUUID();

  constructor(
    private readonly claims: Claims,
    private readonly leases: JobLeaseModel,
    private readonly jobs: Job[],
    private readonly logger: Logger,
    private readonly tickMs = 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: claim and run every job that is due. Exposed for tests. */
  async tick(now = new Date()): Promise<string[]> {
    const ran: string[] = [];
    const pass = (async () => {
      for (const job of this.jobs) {
        if (!(await this.claim(job, now))) continue;
        ran.push(job.name);
        try {
          await job.run(now);
          await this.leases.updateOne({ _id: job.name }, { $set: { lastError: null } }).exec();
        } catch (err) {
          const message = errorMessage(err);
          this.logger.error({ event: 'job_failed', job: job.name, err: message }, 'periodic job failed');
          await this.leases.updateOne({ _id: job.name }, { $set: { lastError: message } }).exec();
        }
      }
    })();
    this.running = pass.catch((err: Error) => this.logger.error({ event: 'scheduler_failed', err: err.message }, 'scheduler pass failed'));
    await this.running;
    return ran;
  }

  private async claim(job: Job, now: Date): Promise<boolean> {
    const period = Math.floor(now.getTime() / job.everyMs);
    // Kept two periods, so a late tick of the previous period still finds its claim.
    if (!(await this.claims.once(`job:${job.name}:${period}`, 2 * job.everyMs, this.owner))) return false;
    // Only this period's winner writes the status row, by _id.
    await this.leases
      .updateOne({ _id: job.name }, { $set: { nextRunAt: new Date((period + 1) * job.everyMs), lastRunAt: now, lastOwner: this.owner } }, { upsert: true })
      .exec();
    return true;
  }
}
