export { checkRereadable, countRows, readPromptRows, parsePromptLines, parseLinesInSlices, type LineSource } from './reader';
export { normalizeRow } from './prompt-row';
export { needsReferences, requireReferences } from './row-checker';
export * from './records';
export * from './writer';
export { restoreDerivedRows, type OutputPaths } from './recover';
export { conversationId, conversationKey, DonePrompts, isTraceOf, keyOfConversationId } from './done';
export { lockOutputs, restoreFailed, type OutputLock } from './output-lock';
export { fileLines } from './file-lines';
