export * from './schema';
export * from './errors';
export * from './defaults';
export * from './concurrency-note';
export * from './reward-endpoint';
export * from './load';
export * from './starter';
