import type { Feature } from '../src/engine/flow.js';

export const linkRelativeFeature: Feature = { flows: [] };
