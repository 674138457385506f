// Routes as data: each route names its method, path, input schemas and the access it needs.
// The access is enforced here before the handler runs (the service still authorizes: two
// walls), and a route that declares none cannot be registered (see app.ts's onRoute hook).
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import type { AccessRules, AppContext } from '../app-context.ts';
import { requireViewer } from './auth.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { parseForm, type FormState } from './forms.ts';
import { isStaffAccess, isStaffUrl, STAFF_PREFIX, staffMay, type StaffAccess } from './staff-access.ts';

/**
 * Who may reach a route: anyone, any signed-in person, under /staff the staff roles a staff access
 * lets in ('staff:support', see staff-access.ts), or under /o/:org the members whose role the named
 * policy action allows ('invoice.approve').
 */
export type Access = 'public' | 'signed-in' | StaffAccess | `${string}.${string}`;

export type HttpMethod = 'GET' | 'POST';

type Handler<P, Q, B> = (
  request: FastifyRequest<{ Params: P; Querystring: Q; Body: B }>,
  reply: FastifyReply,
  app: AppContext,
) => unknown;

/** `preHandler` carries hooks that must run after CSRF with the body parsed: a rate limit keyed by a form field. */
type Options = Pick<RouteShorthandOptions, 'bodyLimit' | 'logLevel' | 'preHandler'> & {
  /** Rate limits and the double-submission opt-out; a module route cannot turn CSRF off. */
  config?: Omit<
    NonNullable<RouteShorthandOptions['config']>,
    'csrf' | 'access' | 'module' | 'recentSignIn' | 'destructive'
  >;
};

export type RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  method: HttpMethod;
  url: string;
  access: Access;
  /** Path parameters; a value that fails (an id that is not a UUID) answers 404 like an unknown record. */
  params?: P;
  /** Query string; a value that fails answers 400 naming the parameter. */
  query?: Q;
  /** Form body; a value that fails re-renders the form through `invalid` (which answers 422), or answers 422 with the reasons. */
  body?: B;
  invalid?: (request: FastifyRequest, reply: FastifyReply, app: AppContext, form: FormState) => unknown;
  options?: Options;
  /** A valid input for the tests that walk every route; see Example. */
  example?: Example;
  /** For upload forms: registers the multipart parser (its limits) in the scope the route lives in. */
  multipart?: MultipartSetup;
  /** Staff routes only: false for the page that renews a stale staff sign-in (it cannot require a fresh one). */
  recentSignIn?: false;
  /** Staff routes only: a destructive action, which needs the password entered in the last 15 minutes. */
  destructive?: true;
  /**
   * 'allowed' for the few unsafe routes a read-only impersonation may still use (stopping it,
   * signing out); every other POST is refused while a staff member is signed in as someone.
   */
  whileImpersonating?: 'allowed';
  /** What the route does, in a few words: required for a staff action (the staff permission table lists it). */
  summary?: string;
  handler: Handler<z.output<P>, z.output<Q>, z.output<B>>;
};

/** Routes naming the same setup share one scope with that multipart parser. */
export type MultipartSetup = (scope: FastifyInstance, app: AppContext) => Promise<void>;

/**
 * A valid query and form body, so that a walk's refusal is about access, never bad input.
 * A value ':name' is replaced by the walk's record of that kind (':vendorId', ':invoiceId').
 * `multipart` marks an upload form: its body is sent as multipart/form-data with a small file.
 */
export type Example = {
  query?: Record<string, string>;
  body?: Record<string, string>;
  multipart?: { field: string; filename: string; contentType: string; content: string };
};

/** A declared route, its types erased: what a module's manifest lists. */
export type RouteDef = {
  method: HttpMethod;
  url: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  invalid?: RouteSpec<z.ZodType, z.ZodType, z.ZodType>['invalid'];
  options?: Options;
  example?: Example;
  multipart?: MultipartSetup;
  recentSignIn?: false;
  destructive?: true;
  whileImpersonating?: 'allowed';
  summary?: string;
  handler: Handler<unknown, unknown, unknown>;
};

export function route<
  P extends z.ZodType = z.ZodType<unknown>,
  Q extends z.ZodType = z.ZodType<unknown>,
  B extends z.ZodType = z.ZodType<unknown>,
>(spec: RouteSpec<P, Q, B>): RouteDef {
  return spec as unknown as RouteDef;
}

export const ORG_PREFIX = '/o/:org';

export function isOrgUrl(url: string): boolean {
  return url === ORG_PREFIX || url.startsWith(`${ORG_PREFIX}/`);
}

export function isOrgAction(access: Access): boolean {
  return access !== 'public' && access !== 'signed-in' && !isStaffAccess(access);
}

/** Refuses a route whose access does not fit its path or names no policy action. */
export function checkDeclaration(def: RouteDef, rules: AccessRules, module: string): void {
  const where = `${def.method} ${def.url} (module ${module})`;
  if (!def.access) throw new Error(`${where} declares no access`);
  if (isOrgAction(def.access)) {
    if (!isOrgUrl(def.url))
      throw new Error(`${where}: a policy action (${def.access}) needs a path under ${ORG_PREFIX}`);
    if (!rules.has(def.access)) throw new Error(`${where}: no module's policy has the action ${def.access}`);
  } else if (isOrgUrl(def.url)) {
    throw new Error(`${where}: a route under ${ORG_PREFIX} must name the policy action it needs, not ${def.access}`);
  }
  if (isStaffAccess(def.access) !== isStaffUrl(def.url))
    throw new Error(`${where}: a staff access (staff:…) belongs to exactly the routes under ${STAFF_PREFIX}`);
  if (isStaffAccess(def.access) && def.method !== 'GET' && !def.summary)
    throw new Error(`${where}: a staff action declares its summary (the staff permission table lists it)`);
  if ((def.recentSignIn === false || def.destructive) && !isStaffUrl(def.url))
    throw new Error(`${where}: recentSignIn and destructive apply to staff routes only`);
  // /o/new or /o/:slug/… would escape the org scope's membership check.
  if (def.url.startsWith('/o/') && !isOrgUrl(def.url))
    throw new Error(`${where}: a path under /o/ must start with ${ORG_PREFIX}`);
}

/** Refused while a staff member is signed in as someone without having allowed changes. */
export class ReadOnlyImpersonationError extends ForbiddenError {
  constructor(name: string) {
    super(
      `You are signed in as ${name} to look, not to change: this impersonation is read-only. Stop it and start a new one that allows changes (with its reason) if the ticket needs one.`,
    );
  }
}

function enforceAccess(def: RouteDef, rules: AccessRules) {
  const { access } = def;
  const unsafe = def.method !== 'GET';
  return async (request: FastifyRequest) => {
    const impersonation = request.viewer?.impersonation;
    if (unsafe && impersonation && !impersonation.allowsChanges && def.whileImpersonating !== 'allowed')
      throw new ReadOnlyImpersonationError(request.viewer?.name ?? 'this person');
    if (access === 'public') return;
    if (isStaffAccess(access)) {
      // The staff scope has already answered 404 to anyone who is not staff at all.
      if (!staffMay(request.viewer?.staffRole, access)) throw new ForbiddenError();
      return;
    }
    requireViewer(request);
    if (access === 'signed-in') return;
    // The org scope has already matched the org among the person's own memberships (404 otherwise).
    const org = request.org;
    if (!org) throw new NotFoundError();
    if (!rules.get(access)?.includes(org.role)) throw new ForbiddenError();
  };
}

/** The messages of a failed schema, one per field, for a 400/422 page. */
function reasons(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value ?? {});
  if (r.success) return '';
  return r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Registers one declared route on `scope` (the app, or the org scope for routes under /o/:org). */
export function registerRoute(scope: FastifyInstance, def: RouteDef, app: AppContext, module: string): void {
  const { params, query, body } = def;
  scope.route({
    method: def.method,
    url: def.url,
    ...def.options,
    config: {
      ...def.options?.config,
      access: def.access,
      module,
      recentSignIn: def.recentSignIn !== false,
      destructive: def.destructive === true,
    },
    // The body is checked in the handler below, after the CSRF and submission-key hooks have
    // read its control fields (_csrf, _submission) that the schema leaves out.
    schema: { ...(params && { params }), ...(query && { querystring: query }) },
    attachValidation: true,
    // onRequest: before any body is read, so a refused request never streams an upload to disk.
    // The org scope's own onRequest (membership, request.org) runs before it.
    onRequest: enforceAccess(def, app.accessRules),
    handler: async (request, reply) => {
      const failed = request.validationError;
      if (failed) {
        const part = failed.validationContext;
        if (part === 'params') throw new NotFoundError();
        if (part === 'querystring' && query)
          throw new BadRequestError(`This address has a parameter we cannot use: ${reasons(query, request.query)}`);
        throw new BadRequestError('The request could not be understood.');
      }
      if (body) {
        const parsed = parseForm(body, request.body);
        if (!parsed.ok) {
          // A refused form lets go of its submission key, whatever the page answers (htmx rows: 200).
          request.submissionRefused = true;
          if (def.invalid) return def.invalid(request, reply, app, parsed.form);
          throw new ValidationError({}, `What was sent could not be used: ${reasons(body, request.body)}`);
        }
        request.body = parsed.data;
      }
      return def.handler(
        request as FastifyRequest<{ Params: unknown; Querystring: unknown; Body: unknown }>,
        reply,
        app,
      );
    },
  });
}
