/**
 * Hourly: delete conversations' private knowledge repositories (large chat attachments, indexed) once no
 * attachment was added for `attachments.retention_days`, or when their conversation is gone a day after the
 * upload (deleted by retention, or never sent).
 */
import type { Services } from '../../api/services';
import { DEFAULT_ATTACHMENT_RETENTION_DAYS } from './attachment-retention.job';
import { retentionJob } from './retention';

export const CHAT_KNOWLEDGE_EXPIRY = 'chat-knowledge-expiry';

export const chatKnowledgeExpiryJob = (services: Services) =>
  retentionJob(services, {
    name: CHAT_KNOWLEDGE_EXPIRY,
    schedule: '23 * * * *',
    noun: 'chat knowledge repositories',
    setting: 'attachments.retention_days',
    defaultDays: DEFAULT_ATTACHMENT_RETENTION_DAYS,
    minDays: 1,
    prune: (ctx, days) => services.chatKnowledge.prune(ctx, days),
  });
