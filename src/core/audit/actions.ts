// Audit action names are declared by the module that writes them, never typed as a loose string
// at the call site: a misspelt action would be a row nobody can find, and the back-office filters
// the audit log by the list the modules declare (buildCatalog collects and checks it).

declare const auditActionBrand: unique symbol;

/** An audit action name (`vendor.created`), as only `auditActions` makes it: what recordAudit takes. */
export type AuditAction<Name extends string = string> = Name & { readonly [auditActionBrand]: true };

/** One prefix's actions, by their short name: `VENDOR_AUDIT.created` is `'vendor.created'`. */
export type AuditActions<P extends string = string, N extends string = string> = {
  readonly [K in N]: AuditAction<`${P}.${K}`>;
};

/**
 * Declares the audit actions of one prefix: `auditActions('vendor', ['created', 'updated'])`.
 * The values are the stored strings (`'vendor.created'`), so existing rows keep their meaning.
 */
export function auditActions<const P extends string, const N extends string>(
  prefix: P,
  names: readonly N[],
): AuditActions<P, N> {
  if (!/^[a-z][a-z_]*$/.test(prefix)) throw new Error(`audit action prefix ${prefix}: lower case letters and _`);
  const out: Record<string, string> = {};
  for (const name of names) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`audit action ${prefix}.${name}: lower case letters and _`);
    if (name in out) throw new Error(`audit action ${prefix}.${name} is declared twice`);
    out[name] = `${prefix}.${name}`;
  }
  return Object.freeze(out) as AuditActions<P, N>;
}

/** Every action name of some groups, in declaration order. */
export function actionNames(groups: readonly AuditActions[]): AuditAction[] {
  return groups.flatMap((g) => Object.values(g));
}
