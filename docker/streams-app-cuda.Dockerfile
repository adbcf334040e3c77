# syntax=docker/dockerfile:1
# Streams scoring app on NVIDIA GPUs. Build from the repository root (needs network access at build time):
#   docker build -f docker/streams-app-cuda.Dockerfile -t quest-stream/streams-app:cuda .
#
# DJL 0.36's PyTorch engine is paired with libtorch 2.7.1, whose CUDA build is not on Maven Central: DJL downloads
# it from its own distribution site. That happens here, once, at image build time; the image then runs with
# DJL_OFFLINE=true and never reaches the network. See docker/README.md for the trade-off.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl streams-app -am package dependency:copy-dependencies -DincludeScope=runtime \
 && mkdir -p /out/lib \
 && cp streams-app/target/dependency/*.jar streams-app/target/streams-app-*.jar /out/lib/ \
 && rm /out/lib/pytorch-native-cpu-*.jar

# With the CPU libtorch jar gone, DJL resolves libtorch by flavor; cu128 is the CUDA build DJL 0.36 publishes.
ENV PYTORCH_FLAVOR=cu128 \
    ENGINE_CACHE_DIR=/opt/djl-cache \
    DJL_CACHE_DIR=/opt/djl-cache
RUN java -cp "/out/lib/*" docker/cuda/PrefetchLibtorch.java

FROM eclipse-temurin:17-jre AS jre

FROM nvidia/cuda:12.8.1-runtime-ubuntu24.04
ARG MAIN_CLASS=io.queststream.streams.cli.StreamsAppCommand
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 quest \
 && useradd --system --uid 10001 --gid quest --home-dir /var/lib/quest --shell /usr/sbin/nologin quest \
 && mkdir -p /var/lib/quest/state \
 && chown -R quest:quest /var/lib/quest
COPY --from=build /out/lib/ /opt/quest/lib/
# DJL also unpacks the tokenizers library into its cache at start, so the cache belongs to the app user.
COPY --from=build --chown=quest:quest /opt/djl-cache/ /opt/djl-cache/
COPY docker/bin/launch /opt/quest/bin/launch
# RUST_FLAVOR=cpu: the tokenizers library would otherwise look for a CUDA build of itself on a GPU host.
ENV APP_MAIN_CLASS=${MAIN_CLASS} \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    DJL_OFFLINE=true \
    RUST_FLAVOR=cpu \
    PYTORCH_FLAVOR=cu128 \
    ENGINE_CACHE_DIR=/opt/djl-cache \
    DJL_CACHE_DIR=/opt/djl-cache \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    QUEST_STATE_DIR=/var/lib/quest/state \
    QUEST_HTTP_HOST=0.0.0.0 \
    QUEST_HTTP_PORT=8088 \
    QUEST_MODEL_DEVICE=gpu:0
USER quest:quest
WORKDIR /var/lib/quest
VOLUME ["/var/lib/quest/state"]
EXPOSE 8088
HEALTHCHECK --interval=15s --timeout=3s --start-period=300s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUEST_HTTP_PORT}/health/ready" || exit 1
ENTRYPOINT ["/opt/quest/bin/launch"]
CMD ["run"]
