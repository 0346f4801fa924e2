import type { TaskConfig, TaskKind } from '../config/schema';
import type { Problem } from '../config/errors';
import { DEFAULT_TEMPLATES, type TaskTemplates } from './defaults';
import { missingPlaceholders } from './fill';

/** What each template cannot work without. */
export const REQUIRED_PLACEHOLDERS: Readonly<Record<keyof TaskTemplates, readonly string[]>> = {
  refine: ['prompt', 'response'],
  aggregate: ['prompt', 'responses'],
  judge: ['prompt', 'response'],
};

/** A problem for a user-written template at `path` (e.g. `task.templates.refine`), if any. */
export function templateProblem(path: string, template: string, kind: keyof TaskTemplates): Problem | undefined {
  const missing = missingPlaceholders(template, REQUIRED_PLACEHOLDERS[kind]);
  if (!missing.length) return undefined;
  return { path, message: `must contain ${missing.map((name) => `{{${name}}}`).join(' and ')}` };
}

/** The task's templates with the user's overrides applied: parseConfig has checked their placeholders. */
export function resolveTemplates(task: TaskKind, overrides: TaskConfig['templates'] = {}): TaskTemplates {
  const resolved: TaskTemplates = { ...DEFAULT_TEMPLATES[task] };
  for (const kind of Object.keys(REQUIRED_PLACEHOLDERS) as Array<keyof TaskTemplates>) resolved[kind] = overrides[kind] ?? resolved[kind];
  return resolved;
}
