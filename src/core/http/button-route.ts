// A button that posts to one record of an org (approve, archive, cancel…) and comes back to the
// record's page: the service does the work and authorizes it, its result says what happened.
import type { UserActor } from '../audit/audit.ts';
import type { Db } from '../db/pool.ts';
import { flash } from '../views/flash.ts';
import { requireActor, requireOrg } from './auth.ts';
import { orgIdParams } from './params.ts';
import { route, type Access, type RouteDef } from './routes.ts';
import type { OrgContext } from './types.ts';

export function buttonRoute<R>(spec: {
  url: string;
  access: Access;
  /** The path parameter naming the record (':invoiceId' in the url → 'invoiceId'). */
  idParam: string;
  run: (db: Db, actor: UserActor, org: OrgContext, id: string) => Promise<R>;
  /** What the person reads on the page they come back to (a success flash). */
  message: (result: R) => string;
  /** The record's page. */
  back: (orgSlug: string, id: string) => string;
}): RouteDef {
  return route({
    method: 'POST',
    url: spec.url,
    access: spec.access,
    params: orgIdParams(spec.idParam),
    example: { body: {} },
    handler: async (request, reply, { db }) => {
      const org = requireOrg(request);
      const id = request.params[spec.idParam]!;
      const r = await spec.run(db, requireActor(request), org, id);
      flash(reply, 'success', spec.message(r));
      return reply.redirect(spec.back(org.slug, id), 303);
    },
  });
}
