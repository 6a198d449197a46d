import { Schema, type Connection, type Model } from 'mongoose';

/** When a periodic job may next run; claiming it moves `nextRunAt`, so one instance runs it. */
export interface JobLeaseDoc {
  _id: string;
  nextRunAt: Date;
  lastRunAt?: Date;
  lastOwner?: string;
  lastError?: string | null;
}

const schema = new Schema<JobLeaseDoc>(
  {
    _id: { type: String, required: true },
    nextRunAt: { type: Date, required: true },
    lastRunAt: Date,
    lastOwner: String,
    lastError: { type: String, default: null },
  },
  { collection: 'job_leases', versionKey: false },
);

export type JobLeaseModel = Model<JobLeaseDoc>;
export const jobLeaseModel = (c: Connection): JobLeaseModel =>
  (c.models.JobLease as JobLeaseModel | undefined) ?? c.model<JobLeaseDoc>('JobLease', schema);
