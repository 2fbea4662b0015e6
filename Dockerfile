# pocketgate in a container: the one-file server from `npm run build` (dist/pocketgate.mjs, the
# admin app inside) on Node 22. Multi-arch as the base image is (linux/amd64, linux/arm64).
#   docker run -d -p 127.0.0.1:8484:8484 -v pocketgate-data:/data ghcr.io/<owner>/pocketgate
# The first start prints the client key and admin password once: `docker logs <container>`.
FROM node:22-alpine

# Inside a container pocketgate must listen on every interface to be reachable through a
# published port; it prints a warning saying so. Publish it on 127.0.0.1 unless others should
# connect. Its config, database and secrets live in the /data volume.
ENV NODE_ENV=production \
    POCKETGATE_HOST=0.0.0.0 \
    POCKETGATE_PORT=8484 \
    POCKETGATE_DATA_DIR=/data

RUN mkdir -p /data && chown node:node /data
COPY dist/pocketgate.mjs /app/pocketgate.mjs

# The base image's unprivileged user.
USER node
VOLUME ["/data"]
EXPOSE 8484

HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.POCKETGATE_PORT||8484)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "/app/pocketgate.mjs"]
