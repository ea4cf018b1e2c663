// The model that names faces and the one every sample is being brought to (domain/model-choice.ts),
// re-checked whenever samples or embeddings change; null until the store has been asked once.
import { useEffect, useState } from 'react';
import { chooseModel, type ModelChoice } from '../../domain/model-choice.ts';
import type { VisageStore } from '../../storage/visage-store.ts';
import { DEFAULT_EMBEDDER, EMBEDDERS, PREVIOUS_DEFAULT_EMBEDDER, type EmbedderId } from '../../domain/embedder-specs.ts';

const asModel = (id: string | null | undefined): EmbedderId | null => (id && id in EMBEDDERS ? (id as EmbedderId) : null);

export function useModelChoice(store: VisageStore | null, chosenSetting: string | null | undefined): ModelChoice<EmbedderId> | null {
  const chosen = chosenSetting === undefined ? undefined : asModel(chosenSetting);
  const [complete, setComplete] = useState<{ target: EmbedderId; done: boolean } | null>(null);
  useEffect(() => {
    if (!store || chosen !== null) return;
    let live = true;
    const check = () => void store.countMissing(DEFAULT_EMBEDDER).then((n) => live && setComplete({ target: DEFAULT_EMBEDDER, done: n === 0 }));
    check();
    const off = store.onChange(check, ['samples', 'embeddings']);
    return () => {
      live = false;
      off();
    };
  }, [store, chosen]);
  if (chosen === undefined) return null;
  if (chosen) return chooseModel(chosen, DEFAULT_EMBEDDER, PREVIOUS_DEFAULT_EMBEDDER, null);
  if (!complete) return null;
  return chooseModel(null, DEFAULT_EMBEDDER, PREVIOUS_DEFAULT_EMBEDDER, complete.done);
}
