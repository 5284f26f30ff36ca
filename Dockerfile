# chordmeter: one Chord peer (chordd) per container; chordctl and chordload ride along.
# No registry here? Build a local base first: tools/base-image.sh, then
#   --build-arg BASE_IMAGE=chordmeter-base:bookworm-node22
ARG BASE_IMAGE=node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
# Set when npm must use another registry than its default (taken from the host's npm config).
ARG NPM_REGISTRY=
COPY package.json package-lock.json ./
# --ignore-scripts: no native addons here (node:sqlite), and the node@22 devDependency's
# binary download is not needed inside an image that already has Node 22.
RUN if [ -n "$NPM_REGISTRY" ]; then npm config set registry "$NPM_REGISTRY"; fi && \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY protocol protocol
COPY model model
COPY daemon daemon
COPY tools tools
RUN node node_modules/typescript/bin/tsc -p . && \
    npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CHORD_LISTEN=/ip4/0.0.0.0/tcp/4001 \
    CHORD_HTTP=0.0.0.0:8080 \
    CHORD_DATA_DIR=/data
WORKDIR /app
RUN groupadd --system --gid 10001 chord && \
    useradd --system --uid 10001 --gid chord --home-dir /data --no-create-home chord && \
    mkdir -p /data && chown chord:chord /data && \
    ln -s /app/dist/daemon/main.js /usr/local/bin/chordd && \
    ln -s /app/dist/tools/chordctl.js /usr/local/bin/chordctl && \
    ln -s /app/dist/tools/chordload.js /usr/local/bin/chordload
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist/protocol dist/protocol
COPY --from=build /src/dist/model dist/model
COPY --from=build /src/dist/daemon dist/daemon
COPY --from=build /src/dist/tools dist/tools
RUN chmod 0755 dist/daemon/main.js dist/tools/chordctl.js dist/tools/chordload.js
USER chord
# The identity key (peer.key) and the SQLite store: a restarted container keeps its ring position.
VOLUME /data
EXPOSE 4001 8080
# Healthy = joined and stable (/readyz). In bash, not `node -e fetch(...)`: a forked node costs
# ~175 ms of CPU per check, this ~2 ms (measured in a container; docker-compose.yml, x-peer-health).
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ code _ <&3 && [ \"$code\" = 200 ]"]
# SIGTERM (docker stop) makes chordd leave the ring gracefully, bounded by --leave-timeout-ms.
STOPSIGNAL SIGTERM
ENTRYPOINT ["chordd"]
