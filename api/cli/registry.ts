// Every CLI command. Features add theirs here.
import type { Command } from './command';
import { dbMigrate, dbStatus } from './commands/db';
import { settingsGet, settingsSet } from './commands/settings';

export const commands: Command[] = [dbStatus, dbMigrate, settingsGet, settingsSet];
