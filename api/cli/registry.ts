// Every CLI command. Features add theirs here.
import type { Command } from './command';
import { apiKeysCreate } from './commands/api-keys';
import { dbMigrate, dbStatus } from './commands/db';
import { modelsAdd, modelsList } from './commands/models';
import { oauthClientsCreate, oauthClientsList, oauthKeysRotate } from './commands/oauth';
import { settingsGet, settingsSet } from './commands/settings';
import { rolesList, usersCreate, usersDisable, usersList, usersSetPassword } from './commands/users';

export const commands: Command[] = [
  dbStatus,
  dbMigrate,
  settingsGet,
  settingsSet,
  usersCreate,
  usersList,
  usersSetPassword,
  usersDisable,
  rolesList,
  modelsAdd,
  modelsList,
  apiKeysCreate,
  oauthClientsCreate,
  oauthClientsList,
  oauthKeysRotate,
];
