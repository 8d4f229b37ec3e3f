# convoy as a container image, for the Kubernetes example in deploy/kubernetes.
#
# Multi-stage: a Rust builder, then distroless `cc` (glibc and libgcc only; convoy uses
# rustls, so no OpenSSL). Runs as the image's non-root user; the entrypoint is `convoy`.
#
#   docker build -t convoy .
#   docker build -t convoy --build-arg CONVOY_GIT_DESCRIBE="$(git describe --always --dirty)" .
#   docker run --rm convoy run suites/          # the example suites, embedded mock

FROM rust:1-bookworm AS build
WORKDIR /src
# Dependencies first, in their own layer: a source change does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY build.rs ./
COPY src ./src
# The build context has no .git: the version run.json names comes from this argument.
ARG CONVOY_GIT_DESCRIBE=""
ENV CONVOY_GIT_DESCRIBE=${CONVOY_GIT_DESCRIBE}
# COPY keeps the sources' timestamps, which can be older than the placeholder build:
# touch them so cargo rebuilds the crate itself.
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked \
    && ./target/release/convoy --version

FROM gcr.io/distroless/cc-debian12:nonroot
# The nonroot user's home, writable by it: default reports/ go here.
WORKDIR /home/nonroot
COPY --from=build /src/target/release/convoy /usr/local/bin/convoy
COPY --chown=nonroot:nonroot suites ./suites
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/convoy"]
CMD ["--help"]
