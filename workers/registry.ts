// Every job the product runs. Add new ones here.
import type { Services } from '../api/services';
import { attachmentRetentionJob } from './jobs/attachment-retention.job';
import { auditRetentionJob } from './jobs/audit-retention.job';
import { chatKnowledgeExpiryJob } from './jobs/chat-knowledge-expiry.job';
import { conversationRetentionJob } from './jobs/conversation-retention.job';
import { interruptedAnswersJob } from './jobs/interrupted-answers.job';
import { knowledgeJobs } from './jobs/knowledge.jobs';
import { oauthDynamicClientsJob } from './jobs/oauth-dynamic-clients.job';
import { sessionCleanupJob } from './jobs/session-cleanup.job';
import type { JobDefinition } from './queue';

export function allJobs(services: Services): JobDefinition<never>[] {
  return [
    auditRetentionJob(services),
    sessionCleanupJob(services),
    interruptedAnswersJob(services),
    attachmentRetentionJob(services),
    oauthDynamicClientsJob(services),
    conversationRetentionJob(services),
    ...knowledgeJobs(services),
    chatKnowledgeExpiryJob(services),
  ] as JobDefinition<never>[];
}
