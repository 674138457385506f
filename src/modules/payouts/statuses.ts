import type { Selectable } from 'kysely';
import type { Payouts } from '../../core/db/generated.ts';

export type PayoutStatus = Selectable<Payouts>['status'];
