// Which embedder a user is on. Someone who chose a model keeps it. Someone who never chose follows the
// default, but a new default serves only once every sample has its embedding: until then the model
// their samples were made with (the previous default) keeps naming faces while the samples are
// re-embedded, so recognition never stops.

export interface ModelChoice<Id extends string> {
  /** The model that names faces now. */
  serving: Id;
  /** The model every sample must be embedded with; serving once that is done. */
  target: Id;
}

/**
 * @param chosen the stored setting (null: never chosen); @param targetComplete whether every sample has
 *        the target's embedding (null: not known yet).
 */
export function chooseModel<Id extends string>(chosen: Id | null, defaultId: Id, previousDefault: Id, targetComplete: boolean | null): ModelChoice<Id> {
  if (chosen) return { serving: chosen, target: chosen };
  return { serving: targetComplete === false ? previousDefault : defaultId, target: defaultId };
}
