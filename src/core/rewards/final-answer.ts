/**
 * Final answers of math solutions (GSM8K style and the usual model phrasings), and whether two
 * agree. Where the answer is: after the last `####` that a number follows, else in the last
 * `\boxed{}`, else after the last "the answer is" or "Final Answer:" label, else the last number
 * in the text.
 */

/** A number as written: optional sign and $, thousands separators, decimals; not part of a word. */
const NUMBER = /(?<![\w.])-?\$?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*\/\s*\d+)?/g;

/**
 * GSM8K's final-answer marker: `####` and then the number. A `####` followed by words is a
 * markdown heading ("#### Step 2: Money", "#### Final Answer"), which chat models write often:
 * its first number is a step's, not the answer.
 */
const MARKER = /####[ \t]*(?=[-+$]*\.?\d)/g;

/** The phrase that states the answer, and the rest of its line: "the answer is 3", "The final answer is: 3". */
const PHRASE = /the (?:final )?answer is:?\s*([^\n]*)/gi;

/**
 * A "Final Answer:" label, as chat models write it in markdown ("**Final Answer:** 18", "**Final
 * answer**: 18", "### Final Answer: 18", "- Final answer: 18"), and the rest of its line. Only at
 * the start of a line ("to get the final answer: 16 - 3 ..." is prose) and with something after
 * it on that line: a label alone on its line ("**Final Answer:**") is none.
 */
const LABEL = /^[ \t>#*_-]*final answer[*_]*[ \t]*:[ \t*_]*([^\s*_][^\n]*)/gim;

/** A single assignment to a name, as in `\boxed{x = 5}`: its right-hand side is the answer. */
const ASSIGNMENT = /^\s*\\?[A-Za-z]\w*(?:_\{\w+\})?\s*=\s*([^=]+)$/;

export function extractFinalAnswer(response: string): string {
  // The Unicode minus sign (U+2212), as models and typeset sources write it: "−5" is -5, not 5.
  const text = response.replace(/\u2212/g, '-');
  const marker = [...text.matchAll(MARKER)].at(-1);
  if (marker) return firstNumberOr(text.slice(marker.index + marker[0].length).split('\n')[0]!);
  const boxed = lastBoxed(text);
  if (boxed !== undefined) {
    const assignment = ASSIGNMENT.exec(boxed);
    return assignment ? assignment[1]!.trim() : boxed;
  }
  // The last phrase or label; a phrase on a label's line ("Final Answer: The final answer is 18") is the later.
  const phrase = [...text.matchAll(PHRASE), ...text.matchAll(LABEL)].sort((a, b) => a.index - b.index).at(-1);
  if (phrase) return firstNumberOr(phrase[1]!.replace(/\.\s.*$/, ''));
  const numbers = text.match(NUMBER);
  return numbers ? numbers.at(-1)! : text.trim();
}

function firstNumberOr(text: string): string {
  const number = text.match(NUMBER);
  return number ? number[0] : text.trim();
}

/** The contents of the last \boxed{...}, braces balanced. */
function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start + '\\boxed'.length; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start + '\\boxed{'.length, i);
  }
  return undefined;
}

/**
 * A canonical form: LaTeX fractions as a/b, no $, commas (1{,}000's too), spaces, %, \text{}
 * wrappers, a unit in \text{} after the number or a trailing period; numbers (and simple
 * fractions) as their decimal value, so "18.0", "$18", "18 \text{ dollars}" and "18" agree, as
 * do "1/2", "\frac{1}{2}" and "0.5".
 */
export function normalizeAnswer(answer: string): string {
  const text = answer
    // A unit written as LaTeX text after the number, with no digit in it: "18 \text{ dollars}", "5\,\text{km}".
    .replace(/(\d)\s*(?:\\[!,;]\s*)*\\(?:text|mbox|mathrm)\{[^{}\d]*\}\.?\s*$/, '$1')
    .replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, '($1)/($2)')
    .replace(/\\text\{([^{}]*)\}/g, '$1')
    // LaTeX's thousands separator in math mode: 1{,}000.
    .replace(/\{,\}/g, ',')
    .replace(/\\[!,;]|\\?\$|,|%|\s+/g, '')
    .replace(/\.$/, '')
    .replace(/^\+/, '')
    .toLowerCase();
  const value = numericValue(text);
  return value === undefined ? text.replace(/^\((.*)\)$/, '$1') : String(value);
}

function numericValue(text: string): number | undefined {
  const fraction = /^\(?(-?\d+(?:\.\d+)?)\)?\/\(?(-?\d+(?:\.\d+)?)\)?$/.exec(text);
  if (fraction) return Number(fraction[2]) === 0 ? undefined : round(Number(fraction[1]) / Number(fraction[2]));
  return /^-?\d+(?:\.\d+)?$/.test(text) ? round(Number(text)) : undefined;
}

/** Rounds away float noise (0.1 + 0.2) without merging genuinely different answers. */
function round(n: number): number {
  return Number(n.toPrecision(12));
}

/** Whether a response's final answer equals the reference's final answer. */
export function answersMatch(response: string, reference: string): boolean {
  const ours = normalizeAnswer(extractFinalAnswer(response));
  return ours !== '' && ours === normalizeAnswer(extractFinalAnswer(reference));
}
