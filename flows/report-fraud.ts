import type { Feature } from '../src/engine/flow.js';

export const reportFraudFeature: Feature = { flows: [] };
