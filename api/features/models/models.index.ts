import { createRouter } from '../../lib/create-router';
import { requireCapability } from '../../middleware/rbac';
import * as handlers from './models.handlers';
import * as routes from './models.routes';

const router = createRouter();
// The admin check runs before body/query validation, so callers without admin:models get 401/403, not 422.
router.use('/admin/models', requireCapability('admin:models'));
router.use('/admin/models/*', requireCapability('admin:models'));

// Static admin paths (providers, discover, test) are registered before /admin/models/{id}.
export const modelsRouter = router
  .openapi(routes.listUsable, handlers.listUsable)
  .openapi(routes.list, handlers.list)
  .openapi(routes.providers, handlers.providers)
  .openapi(routes.discover, handlers.discover)
  .openapi(routes.testRef, handlers.testRef)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.setGrants, handlers.setGrants)
  .openapi(routes.test, handlers.test);
