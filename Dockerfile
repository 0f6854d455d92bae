# AI Studio — one image for the web tasks and the worker tasks (docs/decisions/005-deployment-shape-on-aws.md).
#   docker build -t ai-studio .
#   docker run -p 3000:3000 -v ai-studio-data:/data ai-studio                  # embedded PGlite in /data
#   docker run -e DATABASE_URL=postgres://… -e APP_SECRET=… ai-studio            # external Postgres (pgvector)
#   docker run … ai-studio node --import tsx workers/index.ts                  # job workers only
#
# Install scripts are skipped everywhere (--ignore-scripts): the tree's only ones are esbuild's binary check
# (the binary comes from its platform package), protobufjs's (Pulumi, dev only) and a telemetry ping.

# ---- build: full dependency tree, then the Remix production bundle in build/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# The whole context (see .dockerignore): Tailwind scans the sources for class names as it does locally.
COPY . .
RUN npm run build

# ---- prod-deps: production dependencies only (tsx is one: the server runs TypeScript directly) ----
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
# MALLOC_ARENA_MAX=2: glibc's per-thread malloc arenas otherwise hold ~60 MB more RSS (ADR 020).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Amazon RDS CA bundle, so DATABASE_URL can use sslmode=verify-full against Aurora with both Postgres drivers
# (the ECS tasks from pulumi/ set NODE_EXTRA_CA_CERTS to it). Unused anywhere else.
RUN node -e "fetch('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem').then(async (r) => { if (!r.ok) throw new Error('RDS CA bundle: HTTP ' + r.status); require('fs').writeFileSync('/app/rds-ca-bundle.pem', await r.text()); })"
# Application files stay owned by root (read-only to the app); only /data is writable by the node user.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json package-lock.json tsconfig.json ./
COPY api ./api
COPY db ./db
COPY workers ./workers
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# No curl in the slim image: node's own fetch. Same check as the ECS task definition (pulumi/).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm) so SIGTERM reaches the server and its graceful shutdown runs.
CMD ["node", "--import", "tsx", "api/server.ts"]
