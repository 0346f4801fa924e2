import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chrf } from '../../../src/core/rewards/chrf';
import { answersMatch, extractFinalAnswer, normalizeAnswer } from '../../../src/core/rewards/final-answer';
import { formatJsonPath, parseJsonPath, valueAt } from '../../../src/core/rewards/json-path';
import { parseJudgeScore } from '../../../src/core/rewards/judge-score';
import { decimalNumber, pooledScore, toScore } from '../../../src/core/rewards/read-score';
import { RewardError } from '../../../src/core/rewards/types';

const gsm8k = readFileSync('/work/shared/data/gsm8k-test.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, 3)
  .map((line) => JSON.parse(line) as { question: string; answer: string });

describe('scores written as text', () => {
  it('are decimal numbers with an optional exponent, and nothing else Number() would take', () => {
    for (const [text, n] of [['0.75', 0.75], [' -3 ', -3], ['+2.5e-1', 0.25], ['.5', 0.5], ['7.', 7], ['1E3', 1000]] as const) assert.equal(decimalNumber(text), n, text);
    for (const text of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', '  ', '1,5', '3 points', '1e999']) {
      assert.ok(!Number.isFinite(decimalNumber(text)), text);
    }
  });

  it('an overflowed JSON number is shown as what it became, not as null', () => {
    assert.throws(() => toScore(JSON.parse('1e999'), () => '$.score', 'http'), /reward http: \$\.score is Infinity, not a finite number/);
  });
});

describe('vLLM pooling outputs', () => {
  const read = (value: unknown, classIndex?: number) => pooledScore(value, classIndex, 'vllm');
  const fails = (value: unknown, classIndex: number | undefined, message: string) =>
    assert.throws(() => read(value, classIndex), (error: unknown) => error instanceof RewardError && error.message === message);

  it("one value per row is the score: a pooled vector's, or the last token's row", () => {
    assert.equal(read(2.5), 2.5);
    assert.equal(read([2.5]), 2.5, 'LAST pooling, one-label head');
    assert.equal(read([[0.1], [0.4], [-1.5]]), -1.5, 'ALL pooling: the outcome reward sits at the last token');
    assert.equal(read([[0.1], [0.4], [-1.5]], 0), -1.5, 'classIndex 0 names the only value');
  });

  it('several values per row are not read at the first silently: the error says how many and asks for classIndex', () => {
    fails([0.2, 0.8], undefined, 'reward vllm: the model returned 2 values ([0.2,0.8]); set reward.classIndex to the one that means a good answer');
    // Qwen2.5-Math-PRM's per-step [p_bad, p_good]: the first value of "2+2 = 5" is its chance of being wrong.
    fails([[0.02, 0.98], [0.97, 0.03]], undefined, 'reward vllm: the model returned 2 values per row (the last of 2 rows: [0.97,0.03]); set reward.classIndex to the one that means a good answer');
  });

  it('classIndex picks the value of the pooled vector or of the last row, and one past them is an error that says so', () => {
    assert.equal(read([0.2, 0.8], 1), 0.8);
    assert.equal(read([0.2, 0.8], 0), 0.2);
    assert.equal(read([[0.02, 0.98], [0.97, 0.03]], 1), 0.03);
    assert.equal(read([[[0.1, 9], [3, 4]]], 1), 4, 'nested rows: the last of the last');
    fails([0.2, 0.8], 2, 'reward vllm: reward.classIndex is 2, but the model returned 2 values');
    fails([[0.5], [1.5]], 1, 'reward vllm: reward.classIndex is 1, but the model returned 1 value per row');
    fails(2.5, 1, 'reward vllm: reward.classIndex is 1, but the model returned 1 value');
  });

  it('finds no score in empty or non-numeric data', () => {
    for (const value of [[], [[]], [[1], []], ['0.5'], null, { score: 1 }]) assert.equal(read(value), undefined, JSON.stringify(value));
    assert.equal(read([0.5, 'x'], 1), undefined);
  });
});

describe('math final answers', () => {
  it('reads GSM8K references after ####', () => {
    assert.deepEqual(gsm8k.map((row) => normalizeAnswer(extractFinalAnswer(row.answer))), ['18', '3', '70000']);
  });

  it('matches the usual ways a model states the answer', () => {
    const [ducks, robe, house] = gsm8k.map((row) => row.answer) as [string, string, string];
    assert.equal(answersMatch('She sells 9 eggs for $2 each.\n#### 18', ducks), true);
    assert.equal(answersMatch('9 * 2 = 18, so she makes $18.00 a day.', ducks), true);
    assert.equal(answersMatch('Total: 2 + 1 = 3.\nThe answer is 3.', robe), true);
    assert.equal(answersMatch('So the total is $\\boxed{3}$ bolts.', robe), true);
    assert.equal(answersMatch('Profit = 200,000 - 130,000 = **$70,000**', house), true);
    assert.equal(answersMatch('#### 70,000.0', house), true);
  });

  it('rejects wrong answers and answers buried before a different final number', () => {
    const [ducks, robe, house] = gsm8k.map((row) => row.answer) as [string, string, string];
    assert.equal(answersMatch('#### 16', ducks), false);
    assert.equal(answersMatch('18 eggs minus 7 leaves 11', ducks), false);
    assert.equal(answersMatch('The answer is 2 bolts, not 3.', robe), false);
    assert.equal(answersMatch('He made $120,000.', house), false);
    assert.equal(answersMatch('I do not know.', house), false);
  });

  it('prefers #### over \\boxed over "the answer is" over the last number', () => {
    assert.equal(extractFinalAnswer('The answer is 4. \\boxed{5} 6\n#### 7\nCheck: 8'), '7');
    assert.equal(extractFinalAnswer('The answer is 4. \\boxed{5} and 6'), '5');
    assert.equal(extractFinalAnswer('The answer is 4. Then 6 more'), '4');
    assert.equal(extractFinalAnswer('16-3-4=9 eggs'), '9');
  });

  it('a markdown heading after #### ("#### Step 2", "#### Final Answer") is not the GSM8K marker', () => {
    const [ducks, robe] = gsm8k.map((row) => row.answer) as [string, string, string];
    const steps = '#### Step 1: Blue and white\n2 / 2 = 1 bolt of white.\n#### Step 2: Total\n2 + 1 = 3 bolts.\n\nThe answer is 3.';
    assert.equal(extractFinalAnswer(steps), '3');
    assert.equal(answersMatch(steps, robe), true);
    // Before: the heading's step number was the answer, so a wrong one could match a reference of 2.
    assert.equal(answersMatch('#### Step 2: Total\n2 + 1 = 3 bolts.\nThe answer is 3.', '#### 2'), false);
    const heading = '### Solution\n16 - 3 - 4 = 9 eggs; 9 * 2 = 18\n\n#### Final Answer\nJanet makes **$18** every day.';
    assert.equal(answersMatch(heading, ducks), true);
    assert.equal(answersMatch('#### Final Answer\nThe final answer is \\boxed{18}', ducks), true);
    // The marker itself, in the ways it is written.
    for (const marked of ['#### 18', '####18', '#### $18', '#### 18 dollars', 'Step 1\n#### Step 2\n#### 18']) assert.equal(extractFinalAnswer(marked).replace('$', ''), '18', marked);
    assert.equal(extractFinalAnswer('#### -5'), '-5');
  });

  it('reads a markdown "Final Answer:" label: the first number after it on its line, not the last number of the text', () => {
    const [ducks, robe] = gsm8k.map((row) => row.answer) as [string, string, string];
    // Before: the last number of the text ("2 more questions") was the answer.
    const labelled = '16 - 3 - 4 = 9 eggs are left, at $2 each.\n\n**Final Answer:** 18\n\nLet me know if you have 2 more questions!';
    assert.equal(extractFinalAnswer(labelled), '18');
    assert.equal(answersMatch(labelled, ducks), true);
    for (const label of ['**Final Answer:** $18', '**Final answer**: 18 dollars.', '### Final Answer: 18', 'Final answer: 18', '- **Final Answer:** 18 dollars a day', '*Final Answer:* **18**', '> FINAL ANSWER: 18']) {
      assert.equal(answersMatch(`9 * 2 = 18\n${label}\n\nThat was 3 steps.`, ducks), true, label);
    }
    // "The final answer is" on the label's line comes later on it, and is the one read (lm-eval's Minerva format).
    assert.equal(extractFinalAnswer('Final Answer: step 1 gives 2, so the final answer is 3. I hope it is correct.'), '3');
    // A wrong answer after the label stays wrong, whatever number comes last.
    assert.equal(answersMatch('**Final Answer:** 16, not the 18 I first wrote.', ducks), false);
    assert.equal(answersMatch('**Final Answer:** 2\nSo 1 + 2 = 3 bolts.', robe), false);
    // Not a label: in prose, or alone on its line; then the last number is read, as before.
    assert.equal(extractFinalAnswer('To reach the final answer: 16 - 3 - 4 = 9, and 9 * 2 = 18'), '18');
    assert.equal(extractFinalAnswer('**Final Answer:**\n\nShe makes 9 * 2 = 18 dollars.'), '18');
    // The precedence stays: #### and \boxed{} come before the label.
    assert.equal(extractFinalAnswer('**Final Answer:** 4\n#### 7'), '7');
    assert.equal(extractFinalAnswer('**Final Answer:** $\\boxed{5}$, after 6 tries'), '5');
  });

  it('reads \\boxed{x = 5}, a single assignment to a name, as its right-hand side', () => {
    assert.equal(extractFinalAnswer('So $\\boxed{x = 5}$.'), '5');
    for (const boxed of ['\\boxed{x = 5}', '\\boxed{x=5}', '\\boxed{n = 5 \\text{ cm}}', '\\boxed{x_1 = 5}', '\\boxed{t_{0} = 5.0}', '\\boxed{\\theta = 5}']) {
      assert.equal(answersMatch(boxed, '#### 5'), true, boxed);
    }
    assert.equal(answersMatch('\\boxed{x = -5}', '#### -5'), true);
    // A wrong value stays wrong; an equation that is no single assignment to a name is left whole.
    assert.equal(answersMatch('\\boxed{x = 6}', '#### 5'), false);
    assert.equal(answersMatch('\\boxed{x = 6}', '#### 6'), true);
    for (const boxed of ['\\boxed{2x = 10}', '\\boxed{x = 5, y = 3}', '\\boxed{x + y = 5}', '\\boxed{x \\leq 5}', '\\boxed{x == 5}', '\\boxed{f(x) = 5}']) {
      assert.equal(answersMatch(boxed, '#### 5'), false, boxed);
    }
  });

  it('reads a Unicode minus sign (U+2212) as a minus, not as no sign', () => {
    assert.equal(answersMatch('#### \u22125', '#### 5'), false);
    assert.equal(answersMatch('#### \u22125', '#### -5'), true);
    assert.equal(answersMatch('The answer is \u22123.5', '#### -3.5'), true);
    assert.equal(answersMatch('\\boxed{\u22127}', '#### -7'), true);
  });

  it('reads a boxed answer with its unit in \\text{} or LaTeX thousands separators as the number', () => {
    const [ducks, , house] = gsm8k.map((row) => row.answer) as [string, string, string];
    for (const boxed of ['\\boxed{18 \\text{ dollars}}', '\\boxed{18\\text{ dollars}}.', '$\\boxed{18\\,\\text{dollars}}$', '\\boxed{\\$18 \\mbox{per day}}']) assert.equal(answersMatch(boxed, ducks), true, boxed);
    assert.equal(answersMatch('\\boxed{70{,}000}', house), true);
    assert.equal(answersMatch('\\boxed{17 \\text{ dollars}}', ducks), false);
    // A text with digits is the answer itself, and words before the number stay.
    assert.equal(normalizeAnswer('\\text{18}'), '18');
    assert.equal(normalizeAnswer('\\text{(B)}'), 'b');
    assert.equal(normalizeAnswer('x = 5 \\text{ cm}'), 'x=5');
  });

  it('normalizes commas, $, %, trailing .0, LaTeX fractions and text answers', () => {
    assert.equal(normalizeAnswer('$1,234.50'), '1234.5');
    assert.equal(normalizeAnswer('18.0'), '18');
    assert.equal(normalizeAnswer('25%'), '25');
    assert.equal(normalizeAnswer('\\frac{3}{4}'), '0.75');
    assert.equal(normalizeAnswer('3/4'), '0.75');
    assert.equal(normalizeAnswer('-7.'), '-7');
    assert.equal(normalizeAnswer('(B)'), 'b');
    assert.equal(extractFinalAnswer('\\boxed{\\frac{1}{2}}'), '\\frac{1}{2}');
  });
});

describe('chrF', () => {
  it('is 1 for identical texts (whitespace ignored) and 0 for texts with no common character', () => {
    assert.equal(chrf('the cat sat', 'thecat  sat'), 1);
    assert.equal(chrf('abc', 'xyz'), 0);
    assert.equal(chrf('', 'abc'), 0);
  });

  it('matches a value computed by hand: "abc" vs "abd" averages P = R = 7/18 over orders 1..3', () => {
    // Unigrams 2/3 matched, bigrams 1/2, trigrams 0; orders 4..6 do not exist in either text.
    assert.ok(Math.abs(chrf('abc', 'abd') - 7 / 18) < 1e-12);
  });

  it('weighs recall over precision (beta 2)', () => {
    // "abcdef" has full recall and low precision; "a" the reverse. Recall is rewarded more.
    assert.ok(chrf('abcdef', 'abc') > chrf('a', 'abc'));
  });

  it("matches sacrebleu's sentence chrF on its documented example (61.576379378113785)", () => {
    const score = chrf(
      'The relationship between Obama and Netanyahu is not exactly friendly.',
      'The ties between Obama and Netanyahu are not particularly friendly.',
    );
    assert.ok(Math.abs(score - 0.6157637937811379) < 1e-12, String(score));
  });

  it('counts code points, not UTF-16 units', () => {
    assert.equal(chrf('😀😁', '😀😁'), 1);
    assert.ok(Math.abs(chrf('😀😁', '😀😂') - chrf('ab', 'ac')) < 1e-12);
  });

  it('scores a text alike whether its accents are composed or combining (NFC)', () => {
    const composed = 'Le café de la forêt est fermé.';
    const combining = composed.normalize('NFD');
    assert.notEqual(combining, composed);
    assert.equal(chrf(combining, composed), 1);
    assert.equal(chrf(composed, combining), 1);
  });
});

describe('judge scores', () => {
  const cases: Array<[string, number | undefined]> = [
    ['Score: 8/10', 8],
    ['8', 8],
    ['**7.5**', 7.5],
    ['The answer is helpful but has 2 mistakes.\n\n**Score:** 6', 6],
    ['Scores range from 1 to 10. Score: 9', 9],
    ['Score (1-10): 4', 4],
    ['Rating: [[7]]', 7],
    ['I would rate it 8 out of 10.', 8],
    ['Rating: 4/5', 8],
    ['Overall it is fine.\n7/10', 7],
    ['I rate this 2 stars out of 5', 4],
    ["I'd give it 4 stars out of 5.", 8],
    ['Score: 3 points out of 5', 6],
    ['Rating: 4 stars/5', 8],
    ['I rate it 9 points out of 10.', 9],
    ['Solid work overall.\n3 pts / 4', 7.5],
    ['Score: 7 points', 7],
    ['No idea what to give.', undefined],
    ['', undefined],
  ];
  for (const [reply, expected] of cases) {
    it(`reads ${JSON.stringify(reply)} as ${expected}`, () => assert.equal(parseJudgeScore(reply, 10), expected));
  }

  it('"N stars out of M" follows the rules of "N/M": on a judge scale of M it is N, on another it is rescaled', () => {
    assert.equal(parseJudgeScore('I rate this 2 stars out of 5', 5), 2);
    assert.equal(parseJudgeScore('I rate this 2/5', 5), 2);
    assert.equal(parseJudgeScore('I rate this 2 stars out of 5', 100), 40);
    assert.equal(parseJudgeScore('I rate this 2/5', 100), 40);
  });
});

describe('JSON path', () => {
  it('parses dots, indexes and quoted keys, with or without $', () => {
    assert.deepEqual(parseJsonPath('$.data[0].score'), ['data', 0, 'score']);
    assert.deepEqual(parseJsonPath("$['a b'][2][\"c\"]"), ['a b', 2, 'c']);
    assert.deepEqual(parseJsonPath('result.value'), ['result', 'value']);
    assert.deepEqual(parseJsonPath('[1]'), [1]);
    assert.deepEqual(parseJsonPath('$'), []);
  });

  it('rejects what it cannot read, naming the spot', () => {
    assert.throws(() => parseJsonPath('$.data[*].score'), /at "\[\*\]\.score"/);
    assert.throws(() => parseJsonPath('$..x'), /cannot read JSON path/);
  });

  it('finds values and names the first missing part', () => {
    const reply = { data: [{ score: 0.5 }], flags: { ok: false } };
    assert.deepEqual(valueAt(reply, ['data', 0, 'score']), { found: true, value: 0.5 });
    assert.deepEqual(valueAt(reply, ['flags', 'ok']), { found: true, value: false });
    assert.deepEqual(valueAt(reply, ['data', 1, 'score']), { found: false, missing: '$.data[1]' });
    assert.deepEqual(valueAt(reply, ['data', 'score']), { found: false, missing: '$.data.score' });
    assert.deepEqual(valueAt(reply, ['data', 0, 'toString']), { found: false, missing: '$.data[0].toString' });
  });

  it('formats paths back', () => {
    assert.equal(formatJsonPath(['a', 0, 'b c']), '$.a[0]["b c"]');
  });
});
