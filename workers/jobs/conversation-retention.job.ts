/**
 * Nightly: delete conversations whose last message is older than the `chat.retention_days` setting (K-12
 * record rules). Unset or 0 keeps every conversation.
 */
import type { Services } from '../../api/services';
import { retentionJob } from './retention';

export const CONVERSATION_RETENTION = 'conversation-retention';

export const conversationRetentionJob = (services: Services) =>
  retentionJob(services, {
    name: CONVERSATION_RETENTION,
    schedule: '17 3 * * *',
    noun: 'conversations',
    setting: 'chat.retention_days',
    defaultDays: 0,
    prune: (ctx, days) => services.conversations.prune(ctx, days),
  });
