# syntax=docker/dockerfile:1
# Trainer, CPU image. Build from the repository root:
#   docker build -f docker/trainer.Dockerfile -t quest-stream/trainer:latest .

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# The Maven cache mount keeps ~/.m2 between builds; the wrapper fetches the pinned Maven itself.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl trainer -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib \
 && cp trainer/target/dependency/*.jar trainer/target/trainer-*.jar /out/lib/

FROM eclipse-temurin:17-jre
ARG MAIN_CLASS=io.queststream.trainer.cli.TrainerCommand
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 quest \
 && useradd --system --uid 10001 --gid quest --home-dir /var/lib/quest --shell /usr/sbin/nologin quest \
 && mkdir -p /var/lib/quest/state /var/lib/quest/signing \
 && chown -R quest:quest /var/lib/quest
COPY --from=build /out/lib/ /opt/quest/lib/
COPY docker/bin/launch /opt/quest/bin/launch
# Engines run offline: the reward-model engines and OpenBLAS ship inside the jars and are unpacked under /tmp at start
# (/tmp is writable even where the root filesystem is read-only, as in k8s/base/trainer).
ENV APP_MAIN_CLASS=${MAIN_CLASS} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp-cache" \
    DJL_OFFLINE=true \
    RUST_FLAVOR=cpu \
    ENGINE_CACHE_DIR=/tmp/djl-cache \
    DJL_CACHE_DIR=/tmp/djl-cache \
    QUEST_TRAINER_DATA_DIR=/var/lib/quest/state \
    QUEST_TRAINER_HTTP_HOST=0.0.0.0 \
    QUEST_TRAINER_HTTP_PORT=8089
USER quest:quest
WORKDIR /var/lib/quest
VOLUME ["/var/lib/quest/state"]
EXPOSE 8089
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUEST_TRAINER_HTTP_PORT}/health/ready" || exit 1
ENTRYPOINT ["/opt/quest/bin/launch"]
CMD ["run"]
