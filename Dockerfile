# syntax=docker/dockerfile:1
# One image for crm-api, dialer, recording, the web console and the DB CLI; docker-compose.yml picks the entry point.
# No secret is baked in: every secret arrives at run time as a file (*_FILE, docker secrets).

ARG NODE_IMAGE=node:20-bookworm-slim

# Toolchain for native addons (argon2 is compiled by node-gyp when no prebuilt binary fits).
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Build stage: all dependencies, compile TypeScript to dist/ and the console's pages to dist/console-web/.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY db ./db
RUN npm run build

# Production dependencies only, compiled against the same Node as the runtime.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist
COPY deploy/healthcheck.js ./healthcheck.js
# Mount points for named volumes: a fresh volume takes this ownership, so the app user can write there.
RUN install -d -o node -g node -m 0750 /var/lib/recording \
 && install -d -o node -g node -m 2770 /var/spool/rtpengine
USER node
EXPOSE 8443 8444 8445 8446
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=4 CMD ["node", "/app/healthcheck.js"]
CMD ["node", "dist/apps/crm-api/src/main.js"]
