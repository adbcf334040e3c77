# Streams scoring app, CPU image. From the repository root, build the jars, then the image:
#   ./mvnw -B -DskipTests -pl streams-app,trainer -am package dependency:copy-dependencies -DincludeScope=runtime
#   docker build -f docker/streams-app.Dockerfile -t quest-stream/streams-app:latest .
# The image takes the module's jar and its runtime dependencies from target/ (the repository's .dockerignore keeps
# everything else there, test and source jars included, out of the build context).

ARG JRE_IMAGE=eclipse-temurin:17-jre
FROM ${JRE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 quest \
 && useradd --system --uid 10001 --gid quest --home-dir /var/lib/quest --shell /usr/sbin/nologin quest \
 && mkdir -p /var/lib/quest/state /var/lib/quest/signing \
 && chown -R quest:quest /var/lib/quest
ARG MAIN_CLASS=io.queststream.streams.cli.StreamsAppCommand
COPY streams-app/target/dependency/ /opt/quest/lib/
COPY streams-app/target/streams-app-*.jar /opt/quest/lib/
COPY docker/bin/launch /opt/quest/bin/launch
COPY streams-app/jvm.options /opt/quest/jvm.options
# Engines run offline: the CPU libtorch and ONNX Runtime ship inside the jars and are unpacked under /tmp at start.
ENV APP_MAIN_CLASS=${MAIN_CLASS} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    DJL_OFFLINE=true \
    RUST_FLAVOR=cpu \
    ENGINE_CACHE_DIR=/tmp/djl-cache \
    DJL_CACHE_DIR=/tmp/djl-cache \
    QUEST_STATE_DIR=/var/lib/quest/state \
    QUEST_HTTP_HOST=0.0.0.0 \
    QUEST_HTTP_PORT=8088
USER quest:quest
WORKDIR /var/lib/quest
VOLUME ["/var/lib/quest/state"]
EXPOSE 8088
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUEST_HTTP_PORT}/health/ready" || exit 1
ENTRYPOINT ["/opt/quest/bin/launch"]
CMD ["run"]
