import type { Feature } from '../src/engine/flow.js';

export const cashlessFeature: Feature = { flows: [] };
