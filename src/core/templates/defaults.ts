import type { TaskKind } from '../config/schema';

/**
 * The prompts behind refinement, aggregation (MoA) and LLM judging, per task. Placeholders:
 * {{prompt}} the original task, {{response}} one earlier answer, {{responses}} a numbered list
 * of earlier answers; judge rubrics also get {{min}}, {{max}} and {{reference}}.
 *
 * Each one ends by saying exactly what to output, because the output is kept as training data
 * as-is: any preamble ("Here is an improved answer:") would pollute the dataset.
 */
export interface TaskTemplates {
  refine: string;
  aggregate: string;
  judge: string;
}

const instruction: TaskTemplates = {
  refine: `You are given a user's request and an earlier answer to it. Your job is to write a better answer.

# Request
{{prompt}}

# Earlier answer
{{response}}

# What to do
Read the earlier answer critically. Check that it is correct, that it does everything the request asks (and nothing it forbids), and that it is clear, well organised and no longer than it needs to be. Then write a new, complete answer to the request that keeps what was good and fixes what was not.

Your answer replaces the earlier one and is read on its own: do not mention the earlier answer, do not describe your changes, and do not add a preamble or closing remarks. Output only the new answer.`,

  aggregate: `You are given a user's request and several candidate answers written by different assistants. Your job is to write the single best answer.

# Request
{{prompt}}

# Candidate answers
{{responses}}

# What to do
Evaluate the candidates critically: some may contain errors, omissions or irrelevant material, and none should be trusted blindly. Combine their correct and useful parts, fix their mistakes, and write one complete, accurate, well-organised answer that does everything the request asks.

Your answer is read on its own: do not mention the candidates, do not compare them, and do not add a preamble. Output only the answer.`,

  judge: `You are an impartial judge of answer quality. Rate how well the answer below responds to the user's request.

# Request
{{prompt}}

# Answer
{{response}}

# How to rate
Consider, in this order: whether the answer is correct and truthful; whether it does everything the request asks and respects its constraints; how helpful, specific and complete it is; and how clear and well organised it is. Do not reward length for its own sake, and penalise padding, evasion and unsupported claims.

Think briefly about the answer's strengths and weaknesses, then give a score from {{min}} (useless or wrong) to {{max}} (excellent, nothing to improve). The last line of your reply must be exactly:
Score: <number>`,
};

const translation: TaskTemplates = {
  refine: `You are given a translation task and a draft translation. Your job is to produce a better translation.

# Task
{{prompt}}

# Draft translation
{{response}}

# What to do
Compare the draft with the source text sentence by sentence. Fix mistranslations, omissions and additions; make the wording fluent and natural in the target language; keep the meaning, tone, register, names, numbers and formatting of the source.

Output only the improved translation: no notes, no explanations, no quotation marks around it, and no copy of the source text.`,

  aggregate: `You are given a translation task and several candidate translations made by different translators. Your job is to produce the best translation.

# Task
{{prompt}}

# Candidate translations
{{responses}}

# What to do
Compare the candidates with the source text and with each other. Some may mistranslate, omit or add content. Take the most accurate and natural rendering of each part, fix any remaining errors, and write one translation that is faithful to the meaning, tone and formatting of the source and reads fluently in the target language.

Output only the translation: no notes, no explanations, no quotation marks around it.`,

  judge: `You are an expert translation evaluator. Rate the quality of the translation below.

# Translation task (with the source text)
{{prompt}}

# Translation
{{response}}

# How to rate
Judge accuracy first (meaning preserved, nothing omitted or added, names and numbers correct), then fluency (grammatical and natural in the target language), then style (tone, register and formatting match the source). Any text that is not part of the translation (notes, explanations) counts against it.

Think briefly about the main errors, if any, then give a score from {{min}} (unusable) to {{max}} (perfect translation). The last line of your reply must be exactly:
Score: <number>`,
};

const math: TaskTemplates = {
  refine: `You are given a math problem and a previous solution, which may contain mistakes. Your job is to write a correct solution.

# Problem
{{prompt}}

# Previous solution
{{response}}

# What to do
Check the previous solution step by step: re-read the problem, verify that it was understood correctly, and redo every calculation. If you find a mistake, correct it and carry the correction through; if the solution is right, make its reasoning clearer.

Write a complete, self-contained solution that does not refer to the previous one. Show the reasoning step by step, then end with a final line of the form
#### <answer>
where <answer> is only the final number (no units, no words).`,

  aggregate: `You are given a math problem and several candidate solutions written by different solvers. Your job is to write one correct solution.

# Problem
{{prompt}}

# Candidate solutions
{{responses}}

# What to do
The candidates may disagree, and any of them may be wrong, including the majority. Check their reasoning and redo the calculations yourself; decide which steps are correct and what the right final answer is.

Write a complete, self-contained solution that does not refer to the candidates. Show the reasoning step by step, then end with a final line of the form
#### <answer>
where <answer> is only the final number (no units, no words).`,

  judge: `You are a careful math grader. Rate the solution below.

# Problem
{{prompt}}

# Solution
{{response}}

# How to rate
Solve the problem yourself first. Then check the solution: is its final answer correct, is every step of the reasoning valid, and are the calculations right? A wrong final answer scores low however good the presentation; a correct answer reached by valid, clearly explained steps scores high.

Then give a score from {{min}} (wrong answer or invalid reasoning) to {{max}} (correct answer, fully valid and clear reasoning). The last line of your reply must be exactly:
Score: <number>`,
};

export const DEFAULT_TEMPLATES: Readonly<Record<TaskKind, Readonly<TaskTemplates>>> = { instruction, translation, math };
