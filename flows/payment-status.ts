import type { Feature } from '../src/engine/flow.js';

export const paymentStatusFeature: Feature = { flows: [] };
