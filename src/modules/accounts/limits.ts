import type { RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TooManyRequestsError } from '../../core/http/errors.ts';
import { formValues } from '../../core/http/forms.ts';

// Rate limits a route's `config.rateLimit` cannot express: one count shared by several routes,
// or a second limit on one route. Each is a preHandler (after CSRF, with the body parsed), and its
// counter is made on first use, once per app, so two apps in one process never share counts.

type Check = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

function oncePerApp<T>(make: (app: FastifyInstance) => T): (app: FastifyInstance) => T {
  const made = new WeakMap<FastifyInstance, T>();
  return (app) => {
    let value = made.get(app);
    if (value === undefined) {
      value = make(app);
      made.set(app, value);
    }
    return value;
  };
}

/** The plugin's own limit (its 429 page and headers), one count for every route naming it. */
export function sharedLimit(options: RateLimitOptions): Check {
  const limiter = oncePerApp((app) => app.rateLimit(options));
  return async function (request, reply) {
    await limiter(request.server).call(request.server, request, reply);
  };
}

/** A limit per value of a form field (an email address), with its own message naming the wait. */
export function fieldLimit(options: {
  max: number;
  timeWindow: string;
  /** The counter's key for the field's value ('' when the form has none). */
  key: (value: string, request: FastifyRequest) => string;
  field: string;
  message: (minutes: number) => string;
}): Check {
  const limiter = oncePerApp((app) =>
    app.createRateLimit({
      max: options.max,
      timeWindow: options.timeWindow,
      keyGenerator: (request) => options.key(formValues(request.body)[options.field] ?? '', request),
    }),
  );
  return async (request) => {
    const r = await limiter(request.server)(request);
    if (!r.isAllowed && r.isExceeded) throw new TooManyRequestsError(options.message(Math.ceil(r.ttlInSeconds / 60)));
  };
}
