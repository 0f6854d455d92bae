/**
 * Known settings: where their env fallback lives, whether they are secret, and their default.
 * Features register their keys here so the admin UI and CLI can list and validate them.
 */
import type { z } from 'zod';

export interface SettingDefinition {
  key: string;
  /** What the admin console calls it, in words ("Product name"); the key when omitted. */
  label?: string;
  category: string;
  description: string;
  secret?: boolean;
  env?: string;
  default?: string;
  /** Checks (and may normalise) a value before it is stored; its message names the `value` field. */
  schema?: z.ZodType<string, string>;
}

const definitions = new Map<string, SettingDefinition>();

export function defineSettings(list: SettingDefinition[]): void {
  for (const d of list) definitions.set(d.key, d);
}

export function settingDefinition(key: string): SettingDefinition | undefined {
  return definitions.get(key);
}

export function allSettingDefinitions(): SettingDefinition[] {
  return [...definitions.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The admin console's sections, in order, named in words. */
export const SETTING_CATEGORIES: Record<string, string> = {
  branding: 'Branding',
  chat: 'Chat',
  knowledge: 'Knowledge',
  audit: 'Audit log',
  limits: 'Limits',
  auth: 'Sign-in',
  providers: 'Providers',
};

export const SETTING_KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

defineSettings([
  {
    key: 'app.name',
    label: 'Product name',
    category: 'branding',
    description: 'Product name shown in the header and page titles',
    default: 'AI Studio',
  },
  {
    key: 'attachments.retention_days',
    label: 'Keep chat attachments for (days)',
    category: 'chat',
    description:
      'Chat attachments (stored files) older than this many days (at least 1) are deleted by a nightly job',
    default: '30',
  },
  {
    key: 'chat.retention_days',
    label: 'Keep conversations for (days)',
    category: 'chat',
    description:
      'Conversations whose last message is older than this many days are deleted, with their messages, by a nightly job (0 = keep every conversation)',
    default: '0',
  },
  {
    key: 'chat.default_model',
    label: 'Default model for new chats',
    category: 'chat',
    description:
      'The model new chats start with, if the person may use it (the CLI takes its id from Admin → Models); not set = the first model available to the person',
    default: '',
  },
  {
    key: 'audit.retention_days',
    label: 'Keep the audit log for (days)',
    category: 'audit',
    description: 'Audit events older than this many days are deleted by the nightly retention job',
    default: '365',
  },
  {
    key: 'knowledge.url_allowed_hosts',
    label: 'Intranet hosts knowledge sources may reach',
    category: 'knowledge',
    description:
      'Comma-separated host names (or host:port) that knowledge URL sources may reach even when they resolve to a private, loopback or link-local address (e.g. an intranet wiki)',
    default: '',
  },
  {
    key: 'decisions.embedding_model',
    label: 'Decision search embedding model',
    category: 'knowledge',
    description:
      'The embedding model decision search uses (finds paraphrases; the CLI takes its id from Admin → Models); not set = the built-in lexical embedder',
    default: '',
  },
  {
    key: 'knowledge.chat_token_budget',
    label: 'Knowledge passages per chat turn (tokens)',
    category: 'knowledge',
    description:
      'Tokens of knowledge passages a chat turn may add to the prompt when repositories are attached (counted with the o200k tokenizer)',
    default: '3000',
  },
  {
    key: 'knowledge.chat_attachment_token_limit',
    label: 'Index chat attachments longer than (tokens)',
    category: 'knowledge',
    description:
      "A document attached to a chat whose text is longer than this (o200k tokens) is indexed into the chat's private knowledge repository and cited from, instead of being pasted whole into the prompt (people with knowledge:use); it is deleted with the conversation or after the attachment retention",
    default: '8000',
  },
  {
    key: 'knowledge.rerank_model',
    label: 'Rerank search results with (model)',
    category: 'knowledge',
    description:
      'A rerank model that reorders knowledge search results, in chat and MCP too: a Cohere model (e.g. rerank-v3.5, with cohere.api_key) or, when knowledge.rerank_provider is amazon-bedrock, a Bedrock model id (cohere.rerank-v3-5:0 or amazon.rerank-v1:0, with the Bedrock region and credentials of the Models page); empty = no rerank (the fused vector and full-text order)',
    default: '',
  },
  {
    key: 'auth.signup_enabled',
    category: 'auth',
    description: 'Whether people may create their own account at /auth/signup (the first account always may)',
    default: 'true',
  },
  {
    key: 'auth.signup_domains',
    category: 'auth',
    description: 'Comma-separated e-mail domains allowed to sign up (empty = any domain)',
    default: '',
  },
  {
    key: 'auth.default_role',
    category: 'auth',
    description: 'Role given to new accounts after the first (which becomes administrator)',
    default: 'staff',
  },
  {
    key: 'oauth.registration',
    category: 'auth',
    description:
      'Dynamic client registration (RFC 7591) for MCP agents: open (default), approval (an administrator approves each client) or off',
    default: 'open',
  },
  {
    key: 'oauth.dynamic_client_unused_days',
    category: 'auth',
    description:
      'Dynamically registered OAuth clients (MCP agents) not used for this many days (at least 1) and holding no live grant are deleted by a nightly job',
    default: '30',
  },
  {
    key: 'openai.api_key',
    category: 'providers',
    description: 'OpenAI API key',
    secret: true,
    env: 'OPENAI_API_KEY',
  },
  { key: 'openai.base_url', category: 'providers', description: 'OpenAI base URL', env: 'OPENAI_BASE_URL' },
  {
    key: 'azure.resource_name',
    category: 'providers',
    description: 'Azure OpenAI resource name',
    env: 'AZURE_RESOURCE_NAME',
  },
  {
    key: 'azure.api_key',
    category: 'providers',
    description: 'Azure OpenAI API key',
    secret: true,
    env: 'AZURE_API_KEY',
  },
  {
    key: 'azure.base_url',
    category: 'providers',
    description: 'Azure OpenAI base URL',
    env: 'AZURE_BASE_URL',
  },
  {
    key: 'google.api_key',
    category: 'providers',
    description: 'Google Generative AI API key',
    secret: true,
    env: 'GOOGLE_GENERATIVE_AI_API_KEY',
  },
  {
    key: 'google.base_url',
    category: 'providers',
    description: 'Google Generative AI base URL',
    env: 'GOOGLE_BASE_URL',
  },
  { key: 'aws.region', category: 'providers', description: 'AWS region for Bedrock', env: 'AWS_REGION' },
  {
    key: 'aws.access_key_id',
    category: 'providers',
    description: 'AWS access key id for Bedrock',
    secret: true,
    env: 'AWS_ACCESS_KEY_ID',
  },
  {
    key: 'aws.secret_access_key',
    category: 'providers',
    description: 'AWS secret access key for Bedrock',
    secret: true,
    env: 'AWS_SECRET_ACCESS_KEY',
  },
  {
    key: 'bedrock.base_url',
    category: 'providers',
    description: 'Bedrock runtime base URL',
    env: 'BEDROCK_BASE_URL',
  },
  {
    key: 'aws.session_token',
    category: 'providers',
    description: 'AWS session token for Bedrock (temporary credentials)',
    secret: true,
    env: 'AWS_SESSION_TOKEN',
  },
  {
    key: 'bedrock.api_key',
    category: 'providers',
    description: 'Bedrock API key (bearer token); used instead of AWS access keys when set',
    secret: true,
    env: 'AWS_BEARER_TOKEN_BEDROCK',
  },
  {
    key: 'cohere.api_key',
    category: 'providers',
    description: 'Cohere API key (knowledge search rerank, see knowledge.rerank_model)',
    secret: true,
    env: 'COHERE_API_KEY',
  },
  {
    key: 'cohere.base_url',
    category: 'providers',
    description: 'Cohere API base URL',
    env: 'COHERE_BASE_URL',
    default: 'https://api.cohere.com',
  },
  {
    key: 'openai_compatible.base_url',
    category: 'providers',
    description: 'Default base URL for OpenAI-compatible servers (Ollama, vLLM…); a model may set its own',
    env: 'OPENAI_COMPATIBLE_BASE_URL',
  },
  {
    key: 'openai_compatible.api_key',
    category: 'providers',
    description: 'API key for OpenAI-compatible servers (optional; Ollama needs none)',
    secret: true,
    env: 'OPENAI_COMPATIBLE_API_KEY',
  },
]);
