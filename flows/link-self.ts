import type { Feature } from '../src/engine/flow.js';

export const linkSelfFeature: Feature = { flows: [] };
