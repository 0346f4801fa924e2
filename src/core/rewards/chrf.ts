/**
 * chrF (Popović 2015) as sacrebleu computes it by default (chrF2): character n-grams of orders
 * 1..6 with whitespace removed; precision and recall averaged over the orders that both texts
 * have n-grams for; then the F-score with beta 2 (recall weighs twice as much as precision).
 * Returned on a 0..1 scale (sacrebleu prints 100x this), which suits sigmoid(r / tau) with the
 * translation default tau = 1.
 *
 * One departure from sacrebleu: both texts are put in Unicode NFC first. A model may write "é" as
 * e + a combining accent where the reference has one code point (text pasted from macOS file
 * names, some tokenizers); they read the same, so they must score the same.
 */
export function chrf(hypothesis: string, reference: string, order = 6, beta = 2): number {
  // Code points, not UTF-16 units, so non-Latin scripts count one character per character.
  const hyp = Array.from(hypothesis.normalize('NFC').replace(/\s+/g, ''));
  const ref = Array.from(reference.normalize('NFC').replace(/\s+/g, ''));
  let precision = 0;
  let recall = 0;
  let orders = 0;
  for (let n = 1; n <= order; n++) {
    const hypGrams = ngrams(hyp, n);
    const refGrams = ngrams(ref, n);
    const hypTotal = hyp.length - n + 1;
    const refTotal = ref.length - n + 1;
    if (hypTotal <= 0 || refTotal <= 0) continue;
    let matches = 0;
    for (const [gram, count] of hypGrams) matches += Math.min(count, refGrams.get(gram) ?? 0);
    precision += matches / hypTotal;
    recall += matches / refTotal;
    orders++;
  }
  if (!orders) return 0;
  precision /= orders;
  recall /= orders;
  if (precision + recall === 0) return 0;
  const b2 = beta * beta;
  return ((1 + b2) * precision * recall) / (b2 * precision + recall);
}

function ngrams(chars: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const gram = chars.slice(i, i + n).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
