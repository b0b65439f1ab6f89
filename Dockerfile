# Pastel container image.
#
#   docker build -t pastel .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=... -v pastel-data:/data pastel
#
# Two stages: a Go toolchain image compiles a static binary; the runtime image
# is distroless (no shell, no package manager, CA certificates and tzdata
# included) and runs as the unprivileged "nonroot" user, UID/GID 65532.
#
# Only the binary is copied into the runtime image, so everything the server
# needs at run time (migrations, templ output, static files) must be embedded
# with go:embed.

# ---------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------
FROM golang:1.26-bookworm AS build

# Fail loudly instead of fetching a newer toolchain if go.mod ever asks for
# one the image does not have; bump the FROM line instead.
ENV GOTOOLCHAIN=local \
    CGO_ENABLED=0

WORKDIR /src

# Module downloads get their own layer, invalidated only when go.mod or go.sum
# change, so editing source code does not re-download dependencies.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

# The rest of the source (.dockerignore keeps data, VCS and build output out).
COPY . .

# CGO off: a fully static binary that runs in distroless/static (no libc).
# -trimpath drops local paths; -s -w drops the symbol table and DWARF.
RUN go build -trimpath -ldflags="-s -w" -o /out/web ./cmd/web

# An empty data directory, copied into the runtime image owned by nonroot.
# Docker seeds a new named volume from the image's directory, ownership
# included, so the volume mounted on /data is writable by UID 65532.
RUN mkdir -p /out/data

# ---------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot

LABEL org.opencontainers.image.title="pastel" \
      org.opencontainers.image.description="Pastel, a self-hosted pastebin"

WORKDIR /app

# The binary stays root-owned and read-only to the process; only /data is
# writable by the service user.
COPY --from=build /out/web /app/web
COPY --from=build --chown=65532:65532 /out/data /data

# Blobs (when no S3 is configured) and generated secrets (when SESSION_KEY or
# JWT_SECRET is unset) live in DATA_DIR: keep /data on a volume, or sessions
# and tokens are invalidated whenever the container is recreated.
ENV DATA_DIR=/data \
    HTTP_ADDR=0.0.0.0:8080

VOLUME ["/data"]

EXPOSE 8080

# Numeric IDs so that runtimes enforcing runAsNonRoot can verify them.
USER 65532:65532

# No HEALTHCHECK here: the image has no shell or curl. Liveness is checked by
# the binary itself, `web healthcheck` (GETs http://127.0.0.1:8080/healthz and
# exits 0 or 1); docker-compose.yml wires it up as
#   healthcheck: test: ["CMD", "/app/web", "healthcheck"]
# and other orchestrators should probe GET /healthz (liveness) and
# GET /readyz (readiness) over HTTP.

ENTRYPOINT ["/app/web"]
