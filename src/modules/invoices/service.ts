// What other modules may use of the invoices module.
export { financeSummary, type FinanceSummary } from './dashboard.ts';
