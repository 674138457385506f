import type { AppContext } from '../app-context.ts';
import type { AnonymousActor, UserActor } from '../audit/audit.ts';
import type { Role } from '../roles.ts';
import type { RequestTimings } from '../observability/request-context.ts';
import type { StaffRole } from './staff-access.ts';

export type OrgSummary = {
  id: string;
  slug: string;
  name: string;
  role: Role;
  /** Its members must have two-factor authentication on to open its pages. */
  require2fa: boolean;
};

/**
 * A staff member signed in as the person (support work): why, until when, whether changes are
 * allowed. Every page shows it in a banner; routes refuse unsafe methods unless allowsChanges.
 */
export type Impersonation = {
  id: string;
  staffUserId: string;
  staffName: string;
  staffRole: StaffRole | null;
  reason: string;
  /** The one org the impersonation may open (null: the person belongs to none). */
  orgId: string | null;
  orgName: string | null;
  endsAt: Date;
  allowsChanges: boolean;
};

/** The signed-in person, as every page and service sees them. */
export type Viewer = {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  /** Their back-office role, or null for everyone who is not staff. */
  staffRole: StaffRole | null;
  twoFactorEnabled: boolean;
  /** When this session last proved the password (sign-in, or re-entered for the staff area). */
  authenticatedAt: Date;
  /** When this session last used the staff area (null: not yet). */
  staffSeenAt: Date | null;
  orgs: OrgSummary[];
  /** The org this session last worked in. */
  lastOrgId: string | null;
  /** Set when this session is a staff member's impersonation of the person. */
  impersonation: Impersonation | null;
};

/** The organization a request under /o/:org/ acts in, after its membership was checked. */
export type OrgContext = OrgSummary;

/** One row of the route table: `ledgerworks routes` prints these. */
export type RouteEntry = { method: string; url: string; access: string; module: string };

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
    /**
     * Who acts in this request: the signed-in person (set by the session hook, with the staff member
     * impersonating them if any), or no one. Services take `requireActor(request)`.
     */
    actor: UserActor | AnonymousActor;
    org: OrgContext | null;
    sessionIdHash: Buffer | null;
    timings: RequestTimings;
  }
  interface FastifyInstance {
    isProduction: boolean;
    cookieSecure: boolean;
    /** Every route registered, with the access it declares and its module, in registration order. */
    routeList: readonly RouteEntry[];
    /** What this app is made of (settings, modules' rules, tasks, navigation). */
    appContext: AppContext;
  }
  interface FastifyContextConfig {
    /** Who may reach the route (core/http/routes.ts): every route declares it. */
    access?: string;
    /** The module that declared the route. */
    module?: string;
    /** Staff routes: whether the staff sign-in must be recent (all but the page that renews it). */
    recentSignIn?: boolean;
    /** Staff routes: a destructive action (the password entered in the last 15 minutes). */
    destructive?: boolean;
    /** false for endpoints browsers post to without a form (CSP reports). */
    csrf?: boolean;
    /**
     * false for forms whose answer sets a cookie (signing in, signing up): a repeat answered
     * with only the first one's redirect would lose that cookie, so they run again instead.
     */
    submissionGuard?: boolean;
  }
}
