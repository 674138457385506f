/**
 * The runtime list of the values an enum-like column takes, for pickers and input schemas.
 * The column's type comes from the generated row types (a CHECK constraint's values); this
 * fails to compile unless `values` names exactly those values, so the list cannot drift.
 */
export function valuesOf<T extends string>() {
  return <const L extends readonly T[]>(values: L & MissingValues<Exclude<T, L[number]>>): L => values;
}
type MissingValues<M> = [M] extends [never] ? unknown : { missing: M };
