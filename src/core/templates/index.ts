export { DEFAULT_TEMPLATES, type TaskTemplates } from './defaults';
export { conversationText, fillTemplate, missingPlaceholders, numberedResponses } from './fill';
export { REQUIRED_PLACEHOLDERS, resolveTemplates, templateProblem } from './resolve';
export { buildPlayMessages } from './play-messages';
