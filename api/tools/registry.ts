/**
 * Every tool of the platform, in the order agents see them. Features define their tools beside their
 * services (`<name>.tools.ts`) and add them here; surfaces (MCP, later assistants) read this list only.
 */
import { DECISION_TOOLS } from '../features/decisions/decisions.tools';
import { searchKnowledgeTool } from '../features/knowledge/knowledge.tools';
import type { ToolDefinition } from './tool';

export const TOOLS: readonly ToolDefinition[] = [
  ...DECISION_TOOLS,
  searchKnowledgeTool as unknown as ToolDefinition,
];
