# bosun's image: the agent (dist/), its production node_modules, the dashboard (dist/ui) and the pinned helm and
# kustomize it renders with, built from their Go modules by bosun's own recipe (`npm run tools`, src/tools/build.ts)
# at the versions in tools/versions.json.
#
#   docker build -t bosun .
#
# The root filesystem is meant to run read-only, as non-root: the Deployment sets readOnlyRootFilesystem and mounts
# writable volumes at /tmp (HOME: git's, helm's and the renderer's scratch) and /var/cache/bosun (git mirrors,
# checkouts and rendered manifests).

FROM golang:1.26.8-bookworm AS go

FROM node:20.20.2-bookworm AS builder
COPY --from=go /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:$PATH \
    BOSUN_CACHE_DIR=/build/cache
WORKDIR /build/bosun

# Dependencies first, without scripts: the package's own `prepare` (the dashboard bundle) needs sources that are
# not copied yet. `npm rebuild` then runs the dependencies' install scripts (better-sqlite3's native addon).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild

# The tools the agent runs: helm and kustomize (src/render/tool-runner.ts). SOPS and age are decrypted in
# JavaScript (src/secrets/sops), so their binaries stay out, as do the test-only ones. One flat directory of them
# becomes BOSUN_TOOLS_DIR; this layer is rebuilt only when the pins or the recipe change.
COPY tools/versions.json tools/
COPY scripts/tools.ts scripts/tool-path.ts scripts/
COPY src/tools/ src/tools/
RUN npm run tools -- helm kustomize \
 && mkdir -p /build/tools \
 && for tool in helm kustomize; do cp "$(npm run -s tool-path -- "$tool")" /build/tools/; done

# The agent (tsc into dist/) and the dashboard (esbuild into dist/ui, the `prepare` script skipped above); then
# only the production dependencies are kept.
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-ui.ts scripts/
COPY src/ src/
COPY api-schemas/ api-schemas/
RUN npm run build:ui \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
LABEL org.opencontainers.image.title="bosun" \
      org.opencontainers.image.description="A pull-based GitOps agent for Kubernetes" \
      org.opencontainers.image.licenses="Apache-2.0"

# git (over HTTPS and SSH) fetches sources; tini runs as PID 1, forwarding SIGTERM (the agent then releases its
# Lease) and reaping the helm, kustomize and git processes the agent starts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git openssh-client tini \
 && rm -rf /var/lib/apt/lists/*

# A numeric non-root user with an entry in /etc/passwd (ssh refuses to run for a uid it cannot look up).
RUN groupadd --gid 65532 bosun \
 && useradd --uid 65532 --gid 65532 --no-log-init --no-create-home --home-dir /tmp --shell /usr/sbin/nologin bosun \
 && mkdir -p /var/cache/bosun \
 && chown 65532:65532 /var/cache/bosun

# The agent's --cache-dir defaults to $BOSUN_CACHE_DIR/agent; toolPath() finds helm and kustomize in
# BOSUN_TOOLS_DIR only, and never builds them.
ENV NODE_ENV=production \
    HOME=/tmp \
    BOSUN_TOOLS_DIR=/opt/bosun/tools \
    BOSUN_CACHE_DIR=/var/cache/bosun

# The layout of the checkout, owned by root and read-only to the agent: dist/ finds ../package.json (the version),
# ../tools/versions.json (the pins, part of the render cache's key), dist/ui (the dashboard) and api-schemas/ (the
# Kubernetes API's schemas `bosun up` serves) relative to itself.
# tools/ holds the binaries beside versions.json.
WORKDIR /opt/bosun
COPY --from=builder /build/bosun/package.json ./
COPY --from=builder /build/bosun/node_modules/ node_modules/
COPY --from=builder /build/bosun/dist/ dist/
COPY --from=builder /build/bosun/api-schemas/ api-schemas/
COPY --from=builder /build/bosun/tools/versions.json tools/
COPY --from=builder /build/tools/ tools/

VOLUME ["/var/cache/bosun"]
USER 65532:65532
# The HTTP API, webhooks, /metrics, /readyz and the dashboard (bosun agent --listen; 127.0.0.1:8080 outside a
# container, all interfaces here so that probes and the Service reach it).
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/opt/bosun/dist/cli/main.js"]
CMD ["agent", "--in-cluster", "--leader-elect", "--listen", "0.0.0.0:8080"]
