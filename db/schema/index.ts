// Every table, one module per domain. drizzle-kit reads this file (drizzle.config.ts).
export * from './api-keys';
export * from './attachments';
export * from './audit';
export * from './chat';
export * from './compare';
export * from './graph';
export * from './identity';
export * from './jobs';
export * from './knowledge';
export * from './models';
export * from './oauth';
export * from './settings';
export * from './sso';
