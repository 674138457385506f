import type { Invoices } from '../../core/db/generated.ts';
import { valuesOf } from '../../core/db/values.ts';

export type Category = Invoices['category'];
export const CATEGORIES = valuesOf<Category>()([
  'software',
  'hardware',
  'services',
  'travel',
  'office',
  'marketing',
  'rent',
  'utilities',
  'other',
]);
