import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'ledgerworks_' });

export const httpDuration = new client.Histogram({
  name: 'ledgerworks_http_request_duration_seconds',
  help: 'HTTP request duration by route',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const tasksCompleted = new client.Counter({
  name: 'ledgerworks_task_attempts_total',
  help: 'Task attempts finished by this process, by outcome',
  labelNames: ['task', 'outcome'] as const,
  registers: [registry],
});

export const tasksByState = new client.Gauge({
  name: 'ledgerworks_tasks',
  help: 'Jobs in the queue by state (queued, running, retrying, failed)',
  labelNames: ['state'] as const,
  registers: [registry],
});
