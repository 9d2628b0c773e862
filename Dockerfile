# Gemello application image (server + ingest + built client). Production layout: docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
# SUMO verification of signal plans runs Debian's sumo and its routeSampler (docs/signals.md); census
# GeoPackage and Shapefile import/export run Debian's ogr2ogr, sandboxed (docs/census.md).
RUN apt-get update && apt-get install -y --no-install-recommends sumo sumo-tools gdal-bin && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=8080 CITY_DATA_DIR=/city-data SIMULATOR=off
EXPOSE 8080
USER node
CMD ["npx", "tsx", "server/src/main.ts"]
