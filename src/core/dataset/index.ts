export { checkRereadable, readPromptRows, parsePromptLines, parsePlainPrompts, type ReadOptions } from './reader';
export { normalizeRow, type FieldProblem, type RowResult } from './prompt-row';
export { MAX_PROBLEMS, needsReferences, requireReferences } from './row-checker';
export * from './records';
export * from './writer';
export { recoverDerivedRows, restoreDerivedRows, RECOVERY_OUTPUT_ROWS, RECOVERY_TRACE_ROWS, type OutputPaths, type RecoveredRows } from './recover';
export { conversationId, conversationKey, DonePrompts, isTraceOf, keyOfConversationId } from './done';
export { lockOutputs, type OutputLock } from './output-lock';
export { fileLines } from './file-lines';
