/**
 * Every tool of the platform, in the order agents see them. Features define their tools beside their
 * services (`<name>.tools.ts`) and add them here; surfaces (MCP, later assistants) read this list only.
 */
import { chatTool, getConversationTool, listConversationsTool } from '../features/chat/chat.tools';
import { DECISION_TOOLS } from '../features/decisions/decisions.tools';
import { searchKnowledgeTool } from '../features/knowledge/knowledge.tools';
import { listModels } from '../features/models/models.tools';
import { describeCapabilities } from './describe-capabilities.tool';
import type { ToolDefinition } from './tool';

export const TOOLS: readonly ToolDefinition[] = [
  describeCapabilities,
  listModels,
  chatTool,
  listConversationsTool,
  getConversationTool,
  ...DECISION_TOOLS,
  searchKnowledgeTool as unknown as ToolDefinition,
];
