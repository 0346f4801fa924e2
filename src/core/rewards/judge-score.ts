const NUM = String.raw`[-+]?\d+(?:\.\d+)?`;
/** MT-bench style judges wrap the score in brackets: "Rating: [[7]]". */
const OPEN = String.raw`\[{0,2}`;
/** What a score is counted in, between it and its scale: "2 stars out of 5", "8 points/10". */
const UNIT = String.raw`(?:\s*(?:stars?|points?|pts)\b)?`;
const OUT_OF = String.raw`(?:${UNIT}\s*(?:\/|out of)\s*(${NUM}))?`;

/**
 * Ways judges state a score, most explicit first. The first pattern with any match wins, and
 * within it the last match (judges often restate the scale before giving the verdict).
 */
const PATTERNS: RegExp[] = [
  // "Score: 8", "Rating = 7.5/10", "Rating: [[7]]"
  new RegExp(String.raw`\b(?:score|rating|grade|verdict)\s*[:=]\s*${OPEN}(${NUM})${OUT_OF}`, 'gi'),
  // "Score (1-10): 8", "Final score for this answer: 8"
  new RegExp(String.raw`\b(?:score|rating|grade|verdict)\b[^\n:=]{0,40}[:=]\s*${OPEN}(${NUM})${OUT_OF}`, 'gi'),
  // "a score of 8", "I rate it 8 out of 10", "rated 7"
  new RegExp(String.raw`\b(?:score|rating|grade|rate|rated)\s+(?:it\s+|this\s+)?(?:of\s+|is\s+|as\s+|at\s+)?(${NUM})${OUT_OF}`, 'gi'),
];

/** The whole reply is a number or a fraction: "8", "[[7]]", "7.5/10". */
const BARE = new RegExp(String.raw`^${OPEN}(${NUM})\]{0,2}${OUT_OF}\.?$`, 'i');

/** A fraction anywhere: "... 8/10", "8 out of 10", "4 stars out of 5". */
const FRACTION = new RegExp(String.raw`(${NUM})${UNIT}\s*(?:\/|out of)\s*(${NUM})`, 'gi');

/**
 * The score in a judge's reply, on the scale `[.., max]`, or undefined when there is none.
 * Markdown emphasis is ignored ("**7.5**"). "x/y" or "x out of y" (a unit between allowed: "2
 * stars out of 5") with y other than `max` is rescaled to `max`.
 */
export function parseJudgeScore(reply: string, max: number): number | undefined {
  const text = reply.replace(/[*_`]/g, '').trim();
  for (const pattern of PATTERNS) {
    const last = [...text.matchAll(pattern)].at(-1);
    if (last) return scaled(last[1]!, last[2], max);
  }
  const lastLine = text.split('\n').map((line) => line.trim()).filter(Boolean).at(-1) ?? '';
  const bare = BARE.exec(lastLine);
  if (bare) return scaled(bare[1]!, bare[2], max);
  const fraction = [...lastLine.matchAll(FRACTION)].at(-1);
  return fraction ? scaled(fraction[1]!, fraction[2], max) : undefined;
}

function scaled(value: string, outOf: string | undefined, max: number): number {
  const n = Number(value);
  const d = outOf === undefined ? undefined : Number(outOf);
  return d === undefined || d === max || d === 0 ? n : (n / d) * max;
}
