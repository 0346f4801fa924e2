export type { TaskTemplates } from './defaults';
export { resolveTemplates } from './resolve';
export { buildPlayMessages } from './play-messages';
