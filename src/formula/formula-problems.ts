import { zhEn } from '../common/i18n/text';
import { CompiledFormula, compileFormula, FormulaTypeError, SymbolInfo } from './compile';
import { FormulaProblem, FormulaSyntaxError, parseFormula } from './parse';

/** A finding of the formula engine as a person reads it: the message and the character it is at. */
export const atCharacter = (p: FormulaProblem): string =>
  p.position === undefined
    ? p.message
    : zhEn(
        `${p.message}（第 ${p.position + 1} 个字符处）`,
        `${p.message} (at character ${p.position + 1})`,
      );

/**
 * Compiles the formula of one field. A syntax or type error becomes a problem per finding at
 * `path`, with the character it was found at, and the answer is undefined — the one place the
 * engine's compile errors become field problems (methodology models, compensation schemes,
 * evaluation rulesets). A `condition` is compiled as `(text) ? 1 : 0`, positions still counted
 * in the text as written; `word` lets the field add what helps there (the figures it may use).
 */
export function compileField(
  text: string,
  env: (name: string) => SymbolInfo | undefined,
  path: string,
  problems: { path: string; message: string }[],
  options: {
    condition?: boolean;
    word?: (message: string, finding: FormulaProblem) => string;
    /** The names the formula may use, for "did you mean" on an unknown one. */
    names?: () => Iterable<string>;
  } = {},
): CompiledFormula | undefined {
  const shift = options.condition ? 1 : 0;
  try {
    return compileFormula(
      parseFormula(options.condition ? `(${text}) ? 1 : 0` : text),
      env,
      options.names,
    );
  } catch (e) {
    if (!(e instanceof FormulaSyntaxError || e instanceof FormulaTypeError)) throw e;
    for (const finding of e.problems) {
      const position =
        finding.position === undefined || finding.position < shift
          ? undefined
          : finding.position - shift;
      const message = atCharacter({ message: finding.message, position });
      problems.push({ path, message: options.word ? options.word(message, finding) : message });
    }
    return undefined;
  }
}
