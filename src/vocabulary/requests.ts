/** Payment-method change requests: from submission to the change taking effect. */
/** `applying`: claimed by the job that puts an approved change into effect (never frozen past this point). */
export const REQUEST_STATUSES = ['submitted', 'frozen', 'approved', 'applying', 'rejected', 'effective', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
