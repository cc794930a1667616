import { ModelDefinition } from '../../formula/model';
import { MethodologyContent } from './methodology-content';

/** The formula-engine view of a methodology: index sets, inputs and indicator formulas. */
export function toModelDefinition(content: MethodologyContent): ModelDefinition {
  return {
    indexSets: content.indexSets.map((s) => ({ code: s.code, items: s.items.map((i) => i.code) })),
    variables: content.variables.map((v) => ({
      code: v.code,
      unit: v.unit,
      index: v.index ?? null,
    })),
    parameters: content.parameters.map((p) => ({
      code: p.code,
      unit: p.unit,
      index: p.index ?? null,
    })),
    indicators: content.indicators.map((i) => ({
      code: i.code,
      quantity: i.quantity ?? null,
      value: i.value,
      method: i.method?.code ?? null,
      alternatives: (i.alternatives ?? []).map((m) => ({
        code: m.code,
        quantity: m.quantity ?? null,
        value: m.value,
      })),
    })),
  };
}
