export * from './schema';
export * from './errors';
export * from './defaults';
export * from './load';
export * from './starter';
