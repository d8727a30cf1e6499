# syntax=docker/dockerfile:1
# isp-competencies-api: `docker build -t isp-competencies-api .`, then
# `docker run -p 3000:3000 isp-competencies-api`. See docs/operations.md.

# Build: the toolchain better-sqlite3 compiles with, all dependencies, the compiled server, and
# the content database built from the seeds; then only the production dependencies are kept.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY seeds ./seeds
# `npm run seed` compiles (`npm run build`) and then builds data/content.db from seeds/.
RUN npm run seed
RUN npm prune --omit=dev

# Runtime: the same Debian and Node major as the build stage (better-sqlite3's binary must match),
# only what runs, as an unprivileged user.
FROM node:20-bookworm-slim AS runtime
# MALLOC_ARENA_MAX: glibc gives each thread that allocates (V8's compiler and GC helpers, libuv's
# pool) a heap of its own and keeps their freed memory; two arenas keep the resident memory some
# 20-40 MB lower under load for about 2% more CPU per request (see docs/performance.md).
# NODE_OPTIONS: a 384 MB ceiling on V8's old generation, so that it collects garbage before it has
# grown to four times what is live (a flood of large requests otherwise adds 160-180 MB), and the
# young generation at its usual 16 MB; the code cache is written under these flags
# (HEAP_OPTIONS in src/launch.ts, docs/operations.md).
ENV NODE_ENV=production \
  NODE_OPTIONS="--max-old-space-size=384 --max-semi-space-size=16" \
  MALLOC_ARENA_MAX=2 \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/seeds ./seeds
# The explorer's stylesheet and scripts and the picker's modules, served as files (src/pages/).
COPY --from=build /app/src/pages/assets ./src/pages/assets
# Writable by the service so that SEEDS_DIR can rebuild the database at start-up.
COPY --from=build --chown=node:node /app/data ./data
USER node
EXPOSE 3000
# The slim image has no curl; Node's fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node itself is PID 1, no shell in between, so SIGTERM from `docker stop` reaches the
# server's graceful shutdown.
CMD ["node", "dist/server.mjs"]
