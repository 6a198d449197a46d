import express, { type Router } from 'express';
import type { Connection } from 'mongoose';
import { databaseReachable } from '../db/connect.js';
import { secretMatches } from '../security/secret-match.js';
import type { Metrics } from '../metrics.js';

/**
 * /healthz: the process is up. /readyz: the database answers (load balancers
 * stop routing to an instance that cannot save state). /metrics: Prometheus,
 * only with the bearer token; absent when no token is configured.
 */
export function opsRoutes(opts: { connection: Connection; metrics: Metrics; metricsToken?: string; isShuttingDown: () => boolean }): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = !opts.isShuttingDown() && (await databaseReachable(opts.connection));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' });
  });
  router.get('/metrics', async (req, res) => {
    const token = opts.metricsToken;
    if (!token) {
      res.status(404).json({ code: 'not_found', message: 'metrics are disabled (set METRICS_TOKEN)' });
      return;
    }
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!secretMatches(given, token)) {
      res.status(401).json({ code: 'unauthorized', message: 'bearer token required' });
      return;
    }
    res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
  return router;
}
