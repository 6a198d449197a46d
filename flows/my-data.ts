import type { Feature } from '../src/engine/flow.js';

export const myDataFeature: Feature = { flows: [] };
